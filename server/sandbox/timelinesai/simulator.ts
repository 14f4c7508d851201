import { z } from "zod";
import { TIMELINES_ACCOUNT_EVENTS, TIMELINES_CHAT_EVENTS, TIMELINES_MESSAGE_EVENTS } from "../../providers/timelinesai/webhooks";
import { REPLY_CORPUS } from "../core/corpus";
import { between, timelinesAt, type ProviderSimulator, type SimContext } from "../core/context";
import { bearerToken, BadJsonError, json, readJson, Router, type Reply, type SimRequest } from "../core/http";

/**
 * TimelinesAI Public API simulator (providers.md §1): `{status, data}` envelopes, Bearer auth,
 * send-to-phone / send-to-chat with an async status history that grows over simulated time
 * (Queued → Sent → Delivered → Read, or Failed for numbers not on WhatsApp), chats and messages with
 * 50-item pages, WhatsApp accounts that tests can disconnect or ban, and unsigned webhooks with a 5 s
 * deadline whose failures raise `errors_counter`.
 */

export interface TimelinesSimConfig {
  tokens: string[];
  /** Our sending numbers (+E.164). */
  accounts: string[];
  /** Subscriptions present from the start, as if created in the TimelinesAI UI. */
  webhooks: { url: string; eventTypes: string[] }[];
}

type AccountStatus = "Active" | "Disconnected" | "Suspended";

interface Account {
  id: string;
  phone: string;
  status: AccountStatus;
  connectedOn: number;
  disconnectedOn?: number;
  accountName: string;
  ownerName: string;
  ownerEmail: string;
  /** Earliest time the account's send queue may send again (≈2 s spacing). */
  nextSendAt: number;
}

interface Chat {
  id: number;
  phone: string;
  name: string;
  accountId: string;
  labels: Set<string>;
  createdAt: number;
  read: boolean;
  closed: boolean;
  lastMessageUid?: string;
  lastMessageAt?: number;
  replyScheduled: boolean;
}

interface Message {
  uid: string;
  chatId: number;
  fromMe: boolean;
  text: string;
  origin: string;
  fileUid?: string;
  replyTo?: string;
  createdAt: number;
  sentAt?: number;
  deliveredAt?: number;
  readAt?: number;
  failedAt?: number;
  senderPhone: string;
  senderName: string;
  recipientPhone: string;
  recipientName: string;
}

interface Subscription {
  id: number;
  event_type: string;
  url: string;
  enabled: boolean;
  errors_counter: number;
}

/** The spellings on the wire (the chat:new family); the docs overview's chat:created names are not sent. */
const ALL_EVENT_TYPES: readonly string[] = [...TIMELINES_MESSAGE_EVENTS, ...TIMELINES_CHAT_EVENTS.slice(0, 5), ...TIMELINES_ACCOUNT_EVENTS];
const MAX_SUBSCRIPTIONS = 10;
const PAGE_SIZE = 50;
const E164 = /^\+[1-9]\d{7,14}$/;

const ok = (data: unknown, status = 200): Reply => json(status, { status: "ok", data });
const fail = (status: number, message: string): Reply => json(status, { status: "error", message });

const sendToPhoneBody = z.object({
  phone: z.string({ error: "phone is required" }),
  text: z.string().optional(),
  whatsapp_account_phone: z.string().optional(),
  whatsapp_account_id: z.string().optional(),
  file_uid: z.string().optional(),
  label: z.string().optional(),
  chat_name: z.string().optional(),
  attachment_template_id: z.union([z.string(), z.number()]).optional(),
});
const sendToChatBody = z.object({
  text: z.string().optional(),
  file_uid: z.string().optional(),
  reply_to: z.string().nullish(),
  label: z.string().optional(),
  chat_name: z.string().optional(),
});
const webhookBody = z.object({ event_type: z.string(), url: z.url(), enabled: z.boolean().default(true) });
const webhookPatch = z.object({ event_type: z.string().optional(), url: z.url().optional(), enabled: z.boolean().optional() });
const incomingBody = z.object({ phone: z.string().regex(E164), text: z.string().min(1), account: z.string().optional(), name: z.string().optional() });
const accountStatusBody = z.object({ status: z.enum(["Active", "Disconnected", "Suspended", "Banned"]) });
const instant = z.iso.datetime({ offset: true });
/**
 * What the workspace already holds when the sandbox starts (the database's WhatsApp history, sent
 * through this workspace before): accounts, chats with their ids, messages with their status times.
 */
const historyBody = z.object({
  accounts: z.array(z.object({ phone: z.string().regex(E164), status: z.enum(["Active", "Disconnected", "Suspended"]).default("Active") })).default([]),
  chats: z.array(z.object({ id: z.number().int().positive(), phone: z.string().regex(E164), account: z.string().regex(E164), name: z.string().optional() })).default([]),
  messages: z
    .array(
      z.object({
        uid: z.string().min(1),
        chatId: z.number().int().positive(),
        fromMe: z.boolean(),
        text: z.string(),
        createdAt: instant,
        sentAt: instant.nullish(),
        deliveredAt: instant.nullish(),
        readAt: instant.nullish(),
        failedAt: instant.nullish(),
        replyTo: z.string().nullish(),
      }),
    )
    .default([]),
});

const digits = (phone: string) => phone.replace(/[^\d]/g, "");
const jidOf = (phone: string) => `${digits(phone)}@s.whatsapp.net`;

function parseBool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  return ["true", "1", "yes"].includes(value.toLowerCase());
}

export class TimelinesAiSimulator implements ProviderSimulator {
  readonly name = "timelinesai" as const;
  private readonly accounts = new Map<string, Account>();
  private readonly chats = new Map<number, Chat>();
  /** Chat of an account with a number (`accountId:digits`): a send looks its chat up without a scan. */
  private readonly chatByAccountPhone = new Map<string, Chat>();
  private readonly messages = new Map<string, Message>();
  private readonly subscriptions = new Map<number, Subscription>();
  private nextChatId = 100_001;
  private nextSubscriptionId = 1;
  private readonly router = new Router();

  constructor(
    private readonly ctx: SimContext,
    private readonly config: TimelinesSimConfig,
  ) {
    const start = ctx.clock.now();
    config.accounts.forEach((phone, i) => {
      const id = jidOf(phone);
      this.accounts.set(id, {
        id,
        phone: `+${digits(phone)}`,
        status: "Active",
        // Older numbers first, so "most recently connected" is well defined.
        connectedOn: start - (config.accounts.length - i) * 86_400_000,
        accountName: `Cerniq ${String(i + 1).padStart(2, "0")}`,
        ownerName: `Agent vânzări ${i + 1}`,
        ownerEmail: `vanzari${i + 1}@cerniq.local`,
        nextSendAt: 0,
      });
    });
    for (const hook of config.webhooks) {
      for (const eventType of hook.eventTypes) this.addSubscription({ event_type: eventType, url: hook.url, enabled: true });
    }
    this.routes();
  }

  errorReply(status: number, message: string): Reply {
    return fail(status, message);
  }

  async handle(req: SimRequest): Promise<Reply> {
    const token = bearerToken(req.headers);
    if (!token || !this.config.tokens.includes(token)) return fail(401, "Invalid or expired token");
    const found = this.router.match(req.method, req.path);
    if (found === undefined) return fail(404, "Not found");
    if (found === "method") return fail(405, "Method not allowed");
    try {
      return await found.handler({ ...req, params: found.params });
    } catch (error) {
      if (error instanceof BadJsonError) return fail(400, "Invalid JSON body");
      if (error instanceof z.ZodError) return fail(400, error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      throw error;
    }
  }

  private routes(): void {
    const r = this.router;
    r.on("POST", "/messages", (req) => this.accepting((requestedAt) => this.sendToPhone(req, requestedAt)));
    r.on("POST", "/chats/:id/messages", (req) => this.accepting((requestedAt) => this.sendToChat(req, requestedAt)));
    r.on("GET", "/chats", (req) => this.listChats(req));
    r.on("GET", "/chats/:id", (req) => {
      const chat = this.chats.get(Number(req.params.id));
      return chat ? ok(this.chatJson(chat)) : fail(404, "Chat not found");
    });
    r.on("GET", "/chats/:id/messages", (req) => this.listMessages(req));
    r.on("GET", "/messages/:uid", (req) => {
      const message = this.messages.get(req.params.uid!);
      return message ? ok(this.messageJson(message)) : fail(404, "Message not found");
    });
    r.on("GET", "/messages/:uid/status_history", (req) => {
      const message = this.messages.get(req.params.uid!);
      return message ? ok(this.statusHistory(message).map((e) => ({ status: e.status, timestamp: timelinesAt(e.at) }))) : fail(404, "Message not found");
    });
    r.on("GET", "/whatsapp_accounts", () => ok({ whatsapp_accounts: [...this.accounts.values()].map((a) => this.accountJson(a)) }));
    r.on("GET", "/webhooks", () => ok([...this.subscriptions.values()]));
    r.on("POST", "/webhooks", (req) => {
      const body = webhookBody.parse(readJson(req));
      if (!ALL_EVENT_TYPES.includes(body.event_type)) return fail(400, `Unknown event_type: ${body.event_type}`);
      if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) return fail(400, `At most ${MAX_SUBSCRIPTIONS} webhooks per workspace`);
      return ok(this.addSubscription(body));
    });
    r.on("GET", "/webhooks/:id", (req) => {
      const sub = this.subscriptions.get(Number(req.params.id));
      return sub ? ok(sub) : fail(404, "Webhook not found");
    });
    r.on("PUT", "/webhooks/:id", (req) => {
      const sub = this.subscriptions.get(Number(req.params.id));
      if (!sub) return fail(404, "Webhook not found");
      Object.assign(sub, Object.fromEntries(Object.entries(webhookPatch.parse(readJson(req) ?? {})).filter(([, v]) => v !== undefined)));
      return ok(sub);
    });
    r.on("DELETE", "/webhooks/:id", (req) => {
      const existed = this.subscriptions.delete(Number(req.params.id));
      return existed ? ok({}) : fail(404, "Webhook not found");
    });
  }

  // ---- sending ----

  private pickAccount(phoneOrJid: string | undefined): Account | undefined {
    if (phoneOrJid) return this.accounts.get(phoneOrJid.includes("@") ? phoneOrJid : jidOf(phoneOrJid));
    // The API's fallback: the most recently connected account.
    return [...this.accounts.values()].filter((a) => a.status === "Active").sort((a, b) => b.connectedOn - a.connectedOn)[0];
  }

  /** A send takes the scenario's acceptDelayMs before it is handled; its arrival time goes with it. */
  private async accepting(handle: (requestedAt: number) => Reply): Promise<Reply> {
    const requestedAt = this.ctx.clock.now();
    const delay = this.ctx.scenario().whatsapp.acceptDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return handle(requestedAt);
  }

  private sendToPhone(req: SimRequest, requestedAt: number): Reply {
    const body = sendToPhoneBody.parse(readJson(req));
    if (!E164.test(body.phone)) return fail(400, `Invalid phone number: ${body.phone}`);
    if (this.ctx.scenario().whatsapp.rejectedNumbers.map(digits).includes(digits(body.phone))) {
      return fail(400, `Invalid phone number: ${body.phone} is not registered on WhatsApp`);
    }
    if (!body.text && !body.file_uid && body.attachment_template_id === undefined) return fail(400, "Either text or file_uid is required");
    const account = this.pickAccount(body.whatsapp_account_phone ?? body.whatsapp_account_id);
    if (!account) return fail(400, "WhatsApp account not found in this workspace");
    if (account.status !== "Active") return fail(400, `Sending account ${account.phone} is ${account.status.toLowerCase()}`);
    const chat = this.findOrCreateChat(body.phone, account, "outgoing", body.chat_name);
    if (body.label) chat.labels.add(body.label);
    return ok({ message_uid: this.queueOutbound(chat, account, body.text ?? "", { fileUid: body.file_uid, requestedAt }) });
  }

  private sendToChat(req: SimRequest, requestedAt: number): Reply {
    const chat = this.chats.get(Number(req.params.id));
    if (!chat) return fail(404, "Chat not found");
    const body = sendToChatBody.parse(readJson(req));
    if (!body.text && !body.file_uid) return fail(400, "Either text or file_uid is required");
    const account = this.accounts.get(chat.accountId);
    if (!account || account.status !== "Active") return fail(400, `Sending account ${account?.phone ?? chat.accountId} is not connected`);
    if (body.label) chat.labels.add(body.label);
    return ok({ message_uid: this.queueOutbound(chat, account, body.text ?? "", { fileUid: body.file_uid, replyTo: body.reply_to || undefined, requestedAt }) });
  }

  /**
   * Accepts a message for async sending and decides, now and from the seeded stream, its whole future:
   * when it is sent (queue spacing), delivered, read, or failed, and whether and how the lead answers.
   * Drawing everything at send time keeps outcomes independent of when anyone polls.
   */
  private queueOutbound(chat: Chat, account: Account, text: string, extra: { fileUid?: string; replyTo?: string; requestedAt: number }): string {
    const { rng, clock } = this.ctx;
    const s = this.ctx.scenario();
    const now = clock.now();
    const sentAt = Math.max(now + 200, account.nextSendAt);
    account.nextSendAt = sentAt + between(rng, s.whatsapp.sendSpacingMs);
    const message: Message = {
      uid: rng.uuid(),
      chatId: chat.id,
      fromMe: true,
      text,
      origin: "Public API",
      fileUid: extra.fileUid,
      replyTo: extra.replyTo,
      createdAt: now,
      sentAt,
      senderPhone: account.phone,
      senderName: account.ownerName,
      recipientPhone: chat.phone,
      recipientName: chat.name,
    };
    const notOnWhatsApp = s.whatsapp.failedNumbers.map(digits).includes(digits(chat.phone));
    const replies = !notOnWhatsApp && !chat.replyScheduled && rng.chance(s.replies.probability);
    if (notOnWhatsApp) {
      message.failedAt = sentAt + between(rng, s.whatsapp.deliveryDelayMs);
    } else {
      message.deliveredAt = sentAt + between(rng, s.whatsapp.deliveryDelayMs);
      // A reply implies the message was read.
      if (replies || rng.chance(s.whatsapp.readProbability)) message.readAt = message.deliveredAt + between(rng, s.whatsapp.readDelayMs);
    }
    this.messages.set(message.uid, message);
    chat.lastMessageUid = message.uid;
    chat.lastMessageAt = now;

    this.ctx.logs.message({
      provider: "timelinesai",
      id: message.uid,
      channel: "whatsapp",
      direction: "outbound",
      from: account.phone,
      to: chat.phone,
      text,
      at: new Date(now).toISOString(),
      refs: { chatId: chat.id, requestedAt: new Date(extra.requestedAt).toISOString() },
    });
    clock.at(sentAt, () => this.emitMessage(["message:sent:new", "message:new"], chat, account, message));

    if (replies && message.readAt !== undefined) {
      chat.replyScheduled = true;
      const category = rng.weighted(s.replies.mix);
      const replyText = rng.pick(REPLY_CORPUS[category]);
      clock.at(message.readAt + between(rng, s.replies.delayMs), () => {
        chat.replyScheduled = false;
        this.receive(chat, account, replyText, message.uid);
      });
    }
    if (rng.chance(s.whatsapp.disconnectProbabilityPerSend)) {
      clock.at(sentAt, () => this.setAccountStatus(account, "Disconnected"));
    }
    return message.uid;
  }

  /** An incoming message from the contact (a scheduled reply or a test injection). */
  private receive(chat: Chat, account: Account, text: string, replyTo?: string): Message {
    const now = this.ctx.clock.now();
    const message: Message = {
      uid: this.ctx.rng.uuid(),
      chatId: chat.id,
      fromMe: false,
      text,
      origin: "WhatsApp",
      replyTo,
      createdAt: now,
      senderPhone: chat.phone,
      senderName: chat.name,
      recipientPhone: account.phone,
      recipientName: account.ownerName,
    };
    this.messages.set(message.uid, message);
    chat.lastMessageUid = message.uid;
    chat.lastMessageAt = now;
    chat.read = false;
    this.ctx.logs.message({
      provider: "timelinesai",
      id: message.uid,
      channel: "whatsapp",
      direction: "inbound",
      from: chat.phone,
      to: account.phone,
      text,
      at: new Date(now).toISOString(),
      refs: { chatId: chat.id, ...(replyTo ? { replyTo } : {}) },
    });
    this.emitMessage(["message:received:new", "message:new"], chat, account, message);
    return message;
  }

  private findOrCreateChat(phone: string, account: Account, direction: "outgoing" | "incoming", name?: string): Chat {
    const key = `${account.id}:${digits(phone)}`;
    const existing = this.chatByAccountPhone.get(key);
    if (existing) return existing;
    const chat: Chat = {
      id: this.nextChatId++,
      phone: `+${digits(phone)}`,
      name: name ?? `+${digits(phone)}`,
      accountId: account.id,
      labels: new Set(),
      createdAt: this.ctx.clock.now(),
      read: true,
      closed: false,
      replyScheduled: false,
    };
    this.chats.set(chat.id, chat);
    this.chatByAccountPhone.set(key, chat);
    this.emitChat(["chat:new", direction === "outgoing" ? "chat:outgoing:new" : "chat:incoming:new"], chat, account);
    return chat;
  }

  // ---- status ----

  private statusHistory(message: Message): { status: string; at: number }[] {
    const now = this.ctx.clock.now();
    if (!message.fromMe) return [{ status: "Received", at: message.createdAt }];
    const steps: { status: string; at: number | undefined }[] = [
      { status: "Queued", at: message.createdAt },
      { status: "Sent", at: message.sentAt },
      { status: "Delivered", at: message.deliveredAt },
      { status: "Read", at: message.readAt },
      { status: "Failed", at: message.failedAt },
    ];
    return steps.filter((s): s is { status: string; at: number } => s.at !== undefined && s.at <= now).sort((a, b) => a.at - b.at);
  }

  private currentStatus(message: Message): string {
    return this.statusHistory(message).at(-1)?.status ?? "Queued";
  }

  private setAccountStatus(account: Account, next: AccountStatus): void {
    const previous = account.status;
    if (previous === next) return;
    const now = this.ctx.clock.now();
    account.status = next;
    if (next === "Active") {
      account.connectedOn = now;
      account.disconnectedOn = undefined;
    } else {
      account.disconnectedOn = now;
    }
    const eventType =
      next === "Disconnected"
        ? "whatsapp:account:disconnected"
        : next === "Suspended"
          ? "whatsapp:account:suspended"
          : previous === "Suspended"
            ? "whatsapp:account:resumed"
            : "whatsapp:account:connected";
    this.emit(eventType, { event_type: eventType, whatsapp_account: this.accountJson(account) });
  }

  // ---- listing ----

  private listChats(req: SimRequest): Reply {
    const q = req.query;
    const labels = q.get("label")?.split(",").map((l) => l.trim()).filter(Boolean);
    const accounts = q.get("whatsapp_account_id")?.split(",").map((a) => a.trim()).filter(Boolean);
    const read = parseBool(q.get("read"));
    const phone = q.get("phone");
    const name = q.get("name")?.toLowerCase();
    const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
    const chats = [...this.chats.values()].filter(
      (c) =>
        (!labels || labels.some((l) => c.labels.has(l))) &&
        (!accounts || accounts.includes(c.accountId)) &&
        (read === undefined || c.read === read) &&
        (!phone || digits(c.phone) === digits(phone)) &&
        (!name || c.name.toLowerCase().includes(name)),
    );
    const slice = chats.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return ok({ has_more_pages: chats.length > page * PAGE_SIZE, chats: slice.map((c) => this.chatJson(c)) });
  }

  private listMessages(req: SimRequest): Reply {
    const chat = this.chats.get(Number(req.params.id));
    if (!chat) return fail(404, "Chat not found");
    const q = req.query;
    const fromMe = parseBool(q.get("from_me"));
    const after = q.get("after") ? Date.parse(q.get("after")!) : undefined;
    const before = q.get("before") ? Date.parse(q.get("before")!) : undefined;
    if ((after !== undefined && Number.isNaN(after)) || (before !== undefined && Number.isNaN(before))) {
      return fail(400, "after/before must be ISO dates");
    }
    const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
    // Newest first, as chat UIs page backwards through history (the client re-sorts).
    const all = [...this.messages.values()]
      .filter((m) => m.chatId === chat.id)
      .filter((m) => (fromMe === undefined || m.fromMe === fromMe) && (after === undefined || m.createdAt >= after) && (before === undefined || m.createdAt <= before))
      .sort((a, b) => b.createdAt - a.createdAt);
    const slice = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return ok({ has_more_pages: all.length > page * PAGE_SIZE, messages: slice.map((m) => this.messageJson(m)) });
  }

  // ---- JSON views ----

  private chatUrl(chat: Chat): string {
    return `https://app.timelines.ai/chat/${chat.id}/messages/`;
  }

  private chatJson(chat: Chat) {
    return {
      id: chat.id,
      name: chat.name,
      jid: jidOf(chat.phone),
      phone: chat.phone,
      is_group: false,
      closed: chat.closed,
      read: chat.read,
      labels: [...chat.labels],
      whatsapp_account_id: chat.accountId,
      chat_url: this.chatUrl(chat),
      created_timestamp: timelinesAt(chat.createdAt),
      unattended: !chat.read,
      photo: null,
      responsible_email: null,
      responsible_name: null,
      last_message_uid: chat.lastMessageUid ?? null,
      last_message_timestamp: chat.lastMessageAt ? timelinesAt(chat.lastMessageAt) : null,
      group_members: [],
      is_allowed_to_message: true,
      chatgpt_autoresponse_enabled: false,
    };
  }

  private messageJson(m: Message) {
    return {
      uid: m.uid,
      chat_id: m.chatId,
      timestamp: timelinesAt(m.fromMe ? (m.sentAt ?? m.createdAt) : m.createdAt),
      sender_phone: m.senderPhone,
      sender_name: m.senderName,
      recipient_phone: m.recipientPhone,
      recipient_name: m.recipientName,
      from_me: m.fromMe,
      status: this.currentStatus(m),
      origin: m.origin,
      has_attachment: Boolean(m.fileUid),
      message_type: m.fileUid ? "document" : "text",
      text: m.text,
      attachment_url: null,
      attachment_filename: null,
      reactions: [],
      created_by: m.fromMe ? "api" : null,
      data: null,
    };
  }

  private accountJson(a: Account) {
    return {
      id: a.id,
      phone: a.phone,
      connected_on: timelinesAt(a.connectedOn),
      ...(a.disconnectedOn ? { disconnected_on: timelinesAt(a.disconnectedOn) } : {}),
      status: a.status,
      owner_name: a.ownerName,
      owner_email: a.ownerEmail,
      account_name: a.accountName,
      is_visible: true,
    };
  }

  // ---- webhooks ----

  private addSubscription(body: { event_type: string; url: string; enabled: boolean }): Subscription {
    const sub: Subscription = { id: this.nextSubscriptionId++, event_type: body.event_type, url: body.url, enabled: body.enabled, errors_counter: 0 };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  private emitMessage(eventTypes: string[], chat: Chat, account: Account, m: Message): void {
    for (const eventType of eventTypes) {
      this.emit(eventType, {
        event_type: eventType,
        chat: {
          full_name: chat.name,
          chat_url: this.chatUrl(chat),
          chat_id: chat.id,
          is_group: false,
          phone: chat.phone,
          responsible_name: null,
          responsible_email: null,
        },
        whatsapp_account: { full_name: account.ownerName, email: account.ownerEmail, phone: account.phone },
        message: {
          text: m.text,
          direction: m.fromMe ? "sent" : "received",
          origin: m.origin,
          timestamp: timelinesAt(m.fromMe ? (m.sentAt ?? m.createdAt) : m.createdAt),
          message_uid: m.uid,
          sender: { full_name: m.senderName, phone: m.senderPhone },
          recipient: { full_name: m.recipientName, phone: m.recipientPhone },
          reply_to_uid: m.replyTo ?? null,
          attachments: [],
        },
      });
    }
  }

  private emitChat(eventTypes: string[], chat: Chat, account: Account): void {
    for (const eventType of eventTypes) {
      this.emit(eventType, {
        event_type: eventType,
        chat: { ...this.chatJson(chat), responsible_name: null, responsible_email: null, previous_responsible_name: null, previous_responsible_email: null },
        whatsapp_account: this.accountJson(account),
      });
    }
  }

  private emit(eventType: string, payload: unknown): void {
    const body = JSON.stringify(payload);
    for (const sub of this.subscriptions.values()) {
      if (!sub.enabled || sub.event_type !== eventType) continue;
      this.ctx.webhooks.deliver({
        provider: "timelinesai",
        url: sub.url,
        eventType,
        body,
        // No signature and no custom headers: the real API supports neither.
        headers: () => ({}),
        retryDelaysMs: [],
        timeoutMs: this.ctx.scenario().webhooks.timeoutMs,
        meta: { subscriptionId: String(sub.id) },
        onAttempt: (success) => {
          if (!success) sub.errors_counter += 1;
        },
      });
    }
  }

  // ---- controls ----

  async control(req: SimRequest): Promise<Reply | undefined> {
    if (req.method === "POST" && req.path === "/incoming") {
      const body = incomingBody.parse(readJson(req));
      const account = this.pickAccount(body.account);
      if (!account) return fail(400, "no such account");
      const chat = this.findOrCreateChat(body.phone, account, "incoming", body.name);
      const message = this.receive(chat, account, body.text);
      return ok({ message_uid: message.uid, chat_id: chat.id });
    }
    if (req.method === "POST" && req.path === "/history") return ok(this.importHistory(historyBody.parse(readJson(req))));
    const m = /^\/accounts\/([^/]+)\/status$/.exec(req.path);
    if (req.method === "POST" && m) {
      const account = this.pickAccount(decodeURIComponent(m[1]!));
      if (!account) return fail(404, "no such account");
      const { status } = accountStatusBody.parse(readJson(req));
      // A ban shows up in TimelinesAI as a suspended account.
      this.setAccountStatus(account, status === "Banned" ? "Suspended" : status);
      return ok(this.accountJson(account));
    }
    return undefined;
  }

  /**
   * Learns history that happened before this process started: unknown accounts join the workspace,
   * chats keep their ids (new chats are numbered after them), messages keep their status times so
   * status history and chat listings answer as they did. Nothing is sent and no webhook fires: this
   * is the past, not news. Importing a message again replaces it.
   */
  private importHistory(body: z.output<typeof historyBody>): { accounts: number; chats: number; messages: number } {
    const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : undefined);
    const earliest = Math.min(this.ctx.clock.now(), ...body.messages.map((msg) => Date.parse(msg.createdAt)));
    const account = (phone: string): Account => {
      const id = jidOf(phone);
      let a = this.accounts.get(id);
      if (!a) {
        const n = this.accounts.size + 1;
        a = { id, phone: `+${digits(phone)}`, status: "Active", connectedOn: earliest - 86_400_000, accountName: `Cerniq ${String(n).padStart(2, "0")}`, ownerName: `Agent vânzări ${n}`, ownerEmail: `vanzari${n}@cerniq.local`, nextSendAt: 0 };
        this.accounts.set(id, a);
      }
      return a;
    };
    for (const a of body.accounts) {
      const known = account(a.phone);
      if (known.status !== a.status) {
        known.status = a.status;
        if (a.status !== "Active") known.disconnectedOn = this.ctx.clock.now();
      }
    }
    for (const c of body.chats) {
      const owner = account(c.account);
      const chat: Chat = this.chats.get(c.id) ?? {
        id: c.id,
        phone: `+${digits(c.phone)}`,
        name: c.name ?? `+${digits(c.phone)}`,
        accountId: owner.id,
        labels: new Set(),
        createdAt: earliest,
        read: true,
        closed: false,
        replyScheduled: false,
      };
      this.chats.set(chat.id, chat);
      this.chatByAccountPhone.set(`${owner.id}:${digits(chat.phone)}`, chat);
      this.nextChatId = Math.max(this.nextChatId, chat.id + 1);
    }
    let messages = 0;
    for (const msg of body.messages) {
      const chat = this.chats.get(msg.chatId);
      const owner = chat ? this.accounts.get(chat.accountId) : undefined;
      if (!chat || !owner) continue;
      const createdAt = Date.parse(msg.createdAt);
      this.messages.set(msg.uid, {
        uid: msg.uid,
        chatId: chat.id,
        fromMe: msg.fromMe,
        text: msg.text,
        origin: msg.fromMe ? "Public API" : "WhatsApp",
        replyTo: msg.replyTo ?? undefined,
        createdAt,
        sentAt: msg.fromMe ? (at(msg.sentAt) ?? createdAt) : undefined,
        deliveredAt: at(msg.deliveredAt),
        readAt: at(msg.readAt),
        failedAt: at(msg.failedAt),
        senderPhone: msg.fromMe ? owner.phone : chat.phone,
        senderName: msg.fromMe ? owner.ownerName : chat.name,
        recipientPhone: msg.fromMe ? chat.phone : owner.phone,
        recipientName: msg.fromMe ? chat.name : owner.ownerName,
      });
      if (chat.createdAt > createdAt) chat.createdAt = createdAt;
      if (chat.lastMessageAt === undefined || chat.lastMessageAt <= createdAt) {
        chat.lastMessageAt = createdAt;
        chat.lastMessageUid = msg.uid;
      }
      messages++;
    }
    return { accounts: this.accounts.size, chats: body.chats.length, messages };
  }

  snapshot() {
    return {
      accounts: [...this.accounts.values()].map((a) => ({ phone: a.phone, status: a.status })),
      chats: this.chats.size,
      messages: this.messages.size,
      webhooks: [...this.subscriptions.values()],
    };
  }
}
