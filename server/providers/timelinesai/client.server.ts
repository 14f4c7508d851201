import { z } from "zod";
import { ProviderInvalidRecipientError, type ProviderError } from "../errors";
import { defaultHttpError, JsonApi, type ErrorContext, type HttpResponse, type QueryValue } from "../http.server";
import type { Pacer, PacingSlot } from "../pacing.server";
import type { RetryPolicy } from "../retry";
import type { Timekeeper } from "../../clock";
import {
  accountListSchema,
  chatListSchema,
  chatSchema,
  errorEnvelopeSchema,
  messageListSchema,
  messageSchema,
  okEnvelopeSchema,
  sendResultSchema,
  statusHistorySchema,
  webhookSubscriptionSchema,
  type TimelinesAccount,
  type TimelinesChat,
  type TimelinesMessage,
  type TimelinesStatusEntry,
  type TimelinesWebhookSubscription,
} from "./schemas";

export const TIMELINESAI_DEFAULT_BASE_URL = "https://app.timelines.ai/integrations/api";

export interface TimelinesAiClientConfig {
  baseUrl: string;
  token: string;
  /** F2.2 rule: 30 s. */
  timeoutMs?: number;
  /** Per WhatsApp account, per minute (issue 4 / F2.2: 50). */
  requestsPerMinute?: number;
  /** Optional extra cap for the whole workspace (the help centre's 50/min reads as per workspace). */
  workspaceRequestsPerMinute?: number;
  pacer: Pacer;
  retryPolicy?: Partial<RetryPolicy>;
  time?: Timekeeper;
}

/** Every call names the sending account it concerns when it knows it, so pacing is per account. */
export interface AccountScope {
  /** Sending number (+E.164) or JID of the WhatsApp account; without it the request uses the shared bucket. */
  account?: string;
}

export interface SendToPhoneInput {
  /** Recipient, +<country code><number>. */
  phone: string;
  text: string;
  /** Our sending number, +E.164. Required: phones are sticky per lead, never "most recently connected". */
  accountPhone: string;
  label?: string;
  chatName?: string;
  fileUid?: string;
  /**
   * Runs before each request of this send (after its pacing wait, retries included); throwing stops
   * the send before that request. The send attempt's lease check (server/pipeline/rules/lease.ts).
   */
  beforeRequest?: () => Promise<void>;
}

export interface SendToChatInput {
  chatId: number;
  text: string;
  accountPhone: string;
  replyTo?: string;
  label?: string;
  fileUid?: string;
}

export interface Page<T> {
  items: T[];
  hasMorePages: boolean;
}

const E164 = /^\+[1-9]\d{7,14}$/;
/**
 * TimelinesAI's exact wording for a refused recipient is undocumented; match the phrasings that mean
 * "this number", and nothing about our own sending account (that is a request error, not a bad lead).
 */
const INVALID_NUMBER_MESSAGE = /(invalid|incorrect|wrong|bad)\b.{0,20}\b(phone|number|jid)|not (registered|on) whatsapp|not a whatsapp (user|number)/i;

/** "+40 712-345 678" → "+40712345678"; the pacing key must not depend on formatting. */
export function canonicalPhone(phone: string): string {
  const jid = /^(\d+)@s\.whatsapp\.net$/.exec(phone.trim());
  if (jid) return `+${jid[1]}`;
  const digits = phone.replace(/[^\d]/g, "");
  return `+${digits}`;
}

function unwrapEnvelope(body: unknown): unknown {
  const parsed = okEnvelopeSchema.safeParse(body);
  // Not the envelope: hand the raw body to the data schema, whose failure names the real problem.
  return parsed.success ? parsed.data.data : body;
}

function mapTimelinesError(res: HttpResponse, ctx: ErrorContext): ProviderError {
  const envelope = errorEnvelopeSchema.safeParse(res.body);
  const message = envelope.success ? envelope.data.message : undefined;
  const isSend = ctx.operation === "sendToPhone" || ctx.operation === "sendToChat";
  if (isSend && (res.status === 400 || res.status === 422) && message && INVALID_NUMBER_MESSAGE.test(message)) {
    return new ProviderInvalidRecipientError(`timelinesai ${ctx.operation}: ${message}`, {
      provider: "timelinesai",
      operation: ctx.operation,
      status: res.status,
      providerMessage: message,
    });
  }
  return defaultHttpError(res, ctx, message);
}

/**
 * TimelinesAI Public API client (plan F2.2): sends, chats, messages, status history, accounts,
 * webhook subscriptions. Each request waits for a pacing slot of its account in Redis, then runs
 * under the seeds' retry policy; sends are treated as non-idempotent (no idempotency key exists).
 */
export class TimelinesAiClient {
  private readonly api: JsonApi;
  private readonly perMinute: number;

  constructor(private readonly config: TimelinesAiClientConfig) {
    this.perMinute = config.requestsPerMinute ?? 50;
    this.api = new JsonApi({
      provider: "timelinesai",
      baseUrl: config.baseUrl,
      headers: { authorization: `Bearer ${config.token}`, accept: "application/json" },
      timeoutMs: config.timeoutMs ?? 30_000,
      retry: { policy: config.retryPolicy },
      time: config.time,
      mapError: mapTimelinesError,
    });
  }

  private slots(account: string | undefined): PacingSlot[] {
    const slots: PacingSlot[] = [{ key: account ? `account:${canonicalPhone(account)}` : "account:unscoped", limit: this.perMinute }];
    if (this.config.workspaceRequestsPerMinute) slots.push({ key: "workspace", limit: this.config.workspaceRequestsPerMinute });
    return slots;
  }

  private request<S extends z.ZodType>(
    operation: string,
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    schema: S,
    scope: AccountScope,
    extra: { body?: unknown; query?: Record<string, QueryValue>; beforeRequest?: () => Promise<void> } = {},
  ): Promise<z.output<S>> {
    const slots = this.slots(scope.account);
    return this.api.call({
      operation,
      method,
      path,
      schema,
      body: extra.body,
      query: extra.query,
      unwrap: unwrapEnvelope,
      beforeAttempt: async () => {
        await this.config.pacer.acquire(slots);
        await extra.beforeRequest?.();
      },
    });
  }

  /** POST /messages: send to a phone number; TimelinesAI finds or creates the chat and queues the message. */
  async sendToPhone(input: SendToPhoneInput): Promise<{ messageUid: string }> {
    // Checked before spending a request: the provider would refuse it anyway.
    if (!E164.test(input.phone)) {
      throw new ProviderInvalidRecipientError(`timelinesai sendToPhone: ${input.phone} is not +E.164`, {
        provider: "timelinesai",
        operation: "sendToPhone",
        recipient: input.phone,
      });
    }
    const data = await this.request("sendToPhone", "POST", "/messages", sendResultSchema, { account: input.accountPhone }, {
      body: {
        phone: input.phone,
        text: input.text,
        whatsapp_account_phone: canonicalPhone(input.accountPhone),
        ...(input.label ? { label: input.label } : {}),
        ...(input.chatName ? { chat_name: input.chatName } : {}),
        ...(input.fileUid ? { file_uid: input.fileUid } : {}),
      },
      ...(input.beforeRequest ? { beforeRequest: input.beforeRequest } : {}),
    });
    return { messageUid: data.message_uid };
  }

  /** POST /chats/{id}/messages: send into an existing chat (accepted for async sending). */
  async sendToChat(input: SendToChatInput): Promise<{ messageUid: string }> {
    const data = await this.request("sendToChat", "POST", `/chats/${input.chatId}/messages`, sendResultSchema, { account: input.accountPhone }, {
      body: {
        text: input.text,
        ...(input.replyTo ? { reply_to: input.replyTo } : {}),
        ...(input.label ? { label: input.label } : {}),
        ...(input.fileUid ? { file_uid: input.fileUid } : {}),
      },
    });
    return { messageUid: data.message_uid };
  }

  /** GET /chats: one page (50 chats) of the filtered list. */
  async listChats(
    filter: { phone?: string; whatsappAccountId?: string; label?: string; read?: boolean; page?: number } & AccountScope = {},
  ): Promise<Page<TimelinesChat>> {
    const data = await this.request("listChats", "GET", "/chats", chatListSchema, { account: filter.account ?? filter.whatsappAccountId }, {
      query: {
        phone: filter.phone,
        whatsapp_account_id: filter.whatsappAccountId,
        label: filter.label,
        read: filter.read,
        page: filter.page,
      },
    });
    return { items: data.chats, hasMorePages: data.has_more_pages };
  }

  async getChat(chatId: number, scope: AccountScope = {}): Promise<TimelinesChat> {
    return this.request("getChat", "GET", `/chats/${chatId}`, chatSchema, scope);
  }

  /**
   * GET /chats/{id}/messages: one page. Returned oldest first whatever order the page came in
   * (F2.2: chat history keeps chronological order).
   */
  async listChatMessages(
    chatId: number,
    filter: { fromMe?: boolean; after?: string; before?: string; page?: number } & AccountScope = {},
  ): Promise<Page<TimelinesMessage>> {
    const data = await this.request("listChatMessages", "GET", `/chats/${chatId}/messages`, messageListSchema, filter, {
      query: { from_me: filter.fromMe, after: filter.after, before: filter.before, page: filter.page },
    });
    const items = [...data.messages].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    return { items, hasMorePages: data.has_more_pages };
  }

  async getMessage(uid: string, scope: AccountScope = {}): Promise<TimelinesMessage> {
    return this.request("getMessage", "GET", `/messages/${encodeURIComponent(uid)}`, messageSchema, scope);
  }

  /** Delivery state for ordinary numbers exists only here (no delivered/read webhooks). Oldest first. */
  async getMessageStatusHistory(uid: string, scope: AccountScope = {}): Promise<TimelinesStatusEntry[]> {
    const entries = await this.request("getMessageStatusHistory", "GET", `/messages/${encodeURIComponent(uid)}/status_history`, statusHistorySchema, scope);
    return [...entries].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  async listWhatsAppAccounts(scope: AccountScope = {}): Promise<TimelinesAccount[]> {
    const data = await this.request("listWhatsAppAccounts", "GET", "/whatsapp_accounts", accountListSchema, scope);
    return data.whatsapp_accounts;
  }

  /** Status of one of our numbers (by +E.164 or JID); undefined when the workspace does not have it. */
  async getWhatsAppAccount(phoneOrJid: string): Promise<TimelinesAccount | undefined> {
    const wanted = canonicalPhone(phoneOrJid);
    const accounts = await this.listWhatsAppAccounts({ account: phoneOrJid });
    return accounts.find((a) => canonicalPhone(a.phone) === wanted || canonicalPhone(a.id) === wanted);
  }

  async listWebhooks(): Promise<TimelinesWebhookSubscription[]> {
    return this.request("listWebhooks", "GET", "/webhooks", z.array(webhookSubscriptionSchema), {});
  }

  /** One subscription per event type (max 10 per workspace); the URL must carry our secret. */
  async createWebhook(input: { eventType: string; url: string; enabled?: boolean }): Promise<TimelinesWebhookSubscription> {
    return this.request("createWebhook", "POST", "/webhooks", webhookSubscriptionSchema, {}, {
      body: { event_type: input.eventType, url: input.url, enabled: input.enabled ?? true },
    });
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.request("deleteWebhook", "DELETE", `/webhooks/${id}`, z.unknown(), {});
  }
}
