/**
 * Drafting the answer to a reply (issue 15): the LLM when one is configured (a Romanian prompt with the
 * conversation, the lead and the tenant's offer; the answer is one JSON object `{ "reply": "…" }`,
 * validated by zod), the intent templates otherwise (templates.ts) and whenever the model fails, is
 * late, is paced out, or writes something an automatic answer must not carry (a link, a price, an
 * empty or overlong text). The model's draft is only ever a draft: the routing and the tenant's
 * auto-answer mode decide whether it is sent.
 */
import { z } from "zod";
import type { ChatMessage } from "../../providers/llm/schemas";
import type { Pacer } from "../../providers/pacing.server";
import { NO_DRAFT_INTENTS, draftFromTemplate, type TemplateInput } from "./templates";
import type { JsonChatClient, ReplyUnderstanding } from "../understanding";

export interface DraftRequest {
  understanding: ReplyUnderstanding;
  reply: { text: string; subject: string | null };
  /** Earlier messages, oldest first. */
  conversation: Array<{ direction: "OUTBOUND" | "INBOUND"; text: string }>;
  lead: { company: string; contactName: string | null; county: string | null };
  tenant: { name: string; offerSummary: string | null };
  channel: "WHATSAPP" | "EMAIL_WARM";
}

export interface DraftedAnswer {
  subject: string | null;
  body: string;
  source: "LLM" | "TEMPLATE";
  /** Why the template was used although an LLM is configured. */
  fallback?: string;
}

export interface AnswerDrafter {
  readonly name: "template" | "llm";
  /** Null for intents that get no draft (opt-outs, complaints, robots). */
  draft(request: DraftRequest): Promise<DraftedAnswer | null>;
}

function templateInput(r: DraftRequest): TemplateInput {
  return {
    intent: r.understanding.intent,
    contactName: r.lead.contactName,
    company: r.lead.company,
    tenantName: r.tenant.name,
    offerSummary: r.tenant.offerSummary,
    laterUntil: r.understanding.laterUntil,
    suggestedContact: r.understanding.suggestedContact,
    channel: r.channel,
    replySubject: r.reply.subject,
  };
}

export class TemplateDrafter implements AnswerDrafter {
  readonly name = "template" as const;
  async draft(r: DraftRequest): Promise<DraftedAnswer | null> {
    const t = draftFromTemplate(templateInput(r));
    return t ? { ...t, source: "TEMPLATE" } : null;
  }
}

export const MAX_ANSWER_CHARS = { WHATSAPP: 900, EMAIL_WARM: 2000 } as const;
const answerSchema = z.object({ reply: z.string().nullable() }).loose();

/** What an automatically drafted text may not contain: links, amounts of money, placeholders. */
export function unsafeDraft(text: string, channel: "WHATSAPP" | "EMAIL_WARM"): string | null {
  const t = text.trim();
  if (t.length < 20) return "too_short";
  if (t.length > MAX_ANSWER_CHARS[channel]) return "too_long";
  if (/https?:\/\/|www\./i.test(t)) return "link";
  if (/\d[\d.,\s]*\s?(lei|ron|eur|euro|€|\$|usd)\b/i.test(t)) return "price";
  if (/\{\{|\}\}|\[[A-ZĂÂÎȘȚ _]{3,}\]/.test(t)) return "placeholder";
  return null;
}

function prompt(r: DraftRequest): ChatMessage[] {
  const history = r.conversation.slice(-6).map((m) => `${m.direction === "OUTBOUND" ? "Noi" : "Fermierul"}: ${m.text.replace(/\s+/g, " ").slice(0, 400)}`).join("\n") || "(nu există mesaje anterioare)";
  const u = r.understanding;
  return [
    {
      role: "system",
      content: [
        `Ești un reprezentant de vânzări al firmei ${r.tenant.name}, care vinde fermierilor din România.`,
        r.tenant.offerSummary ? `Oferta firmei: ${r.tenant.offerSummary}` : "Oferta firmei: produse pentru agricultură (semințe, îngrășăminte, tratamente).",
        `Lead: ${r.lead.company}${r.lead.county ? `, județul ${r.lead.county}` : ""}${r.lead.contactName ? `, persoană de contact ${r.lead.contactName}` : ""}.`,
        `Răspunsul fermierului a fost înțeles ca ${u.intent} (${u.reason}).${u.laterUntil ? ` Data la care cere să revenim: ${u.laterUntil}.` : ""}`,
        "Conversația de până acum (cele mai vechi primele):",
        history,
        "",
        `Scrie răspunsul nostru, în română, adresare formală („dumneavoastră”), pentru ${r.channel === "WHATSAPP" ? "WhatsApp: cel mult 600 de caractere" : "email: cel mult 1200 de caractere"}.`,
        "Nu da prețuri, reduceri, termene de livrare sau linkuri; nu promite ce nu știi; un coleg revine cu detaliile.",
        `Încheie cu „Cu stimă, Echipa ${r.tenant.name}”.`,
        'Răspunde DOAR cu un obiect JSON: {"reply": "textul răspunsului"} sau {"reply": null} dacă nu trebuie răspuns.',
      ].join("\n"),
    },
    { role: "user", content: r.reply.text.slice(0, 4_000) },
  ];
}

export interface LlmDrafterOptions {
  client: JsonChatClient;
  pacer?: Pacer;
  pacingKey?: string;
  requestsPerMinute?: number;
  deadlineMs?: number;
  onFallback?: (reason: string, error: unknown) => void;
}

export class LlmDrafter implements AnswerDrafter {
  readonly name = "llm" as const;
  private readonly templates = new TemplateDrafter();
  constructor(private readonly options: LlmDrafterOptions) {}

  async draft(r: DraftRequest): Promise<DraftedAnswer | null> {
    if (NO_DRAFT_INTENTS.has(r.understanding.intent)) return null;
    const fallback = async (reason: string, error?: unknown): Promise<DraftedAnswer | null> => {
      this.options.onFallback?.(reason, error);
      const t = await this.templates.draft(r);
      return t ? { ...t, fallback: reason } : null;
    };
    let reply: string | null;
    try {
      reply = await withDeadline(this.ask(r), this.options.deadlineMs ?? 30_000);
    } catch (error) {
      return fallback(error instanceof DeadlineError ? "timeout" : "error", error);
    }
    if (!reply) return fallback("no_reply");
    const unsafe = unsafeDraft(reply, r.channel);
    if (unsafe) return fallback(`unsafe_${unsafe}`);
    const t = draftFromTemplate(templateInput(r));
    return { subject: t?.subject ?? null, body: reply.trim(), source: "LLM" };
  }

  private async ask(r: DraftRequest): Promise<string | null> {
    if (this.options.pacer) await this.options.pacer.acquire([{ key: this.options.pacingKey ?? "chat", limit: this.options.requestsPerMinute ?? 60 }]);
    const completion = await this.options.client.completeJson({ messages: prompt(r), schema: answerSchema, temperature: 0.3, maxTokens: 500, operation: "draftAnswer" });
    return completion.value.reply;
  }
}

class DeadlineError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineError(`no draft within ${ms} ms`)), ms);
    }),
  ]);
}
