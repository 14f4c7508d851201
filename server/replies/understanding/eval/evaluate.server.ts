import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { routeReply, type RouteDecision } from "../routing";
import { REPLY_CHANNELS, REPLY_INTENTS, suggestedContactSchema, type ReplyIntent, type ReplyUnderstanding } from "../types";

/**
 * The labelled evaluation set and its scoring, shared by the accuracy test (tests/replies/eval.test.ts)
 * and `npm run bench:classify`. Two files, written for this project:
 * - tune.jsonl: the replies the rules were developed against;
 * - held-out.jsonl: written and committed before the first rule existed, never used to tune rules.
 * All dates in the labels are relative to EVAL_NOW (Monday 2 March 2026, 10:00 in Bucharest).
 */

export const EVAL_NOW = new Date("2026-03-02T08:00:00.000Z");
export const EVAL_DIR = import.meta.dirname;

export const labelledReplySchema = z.object({
  id: z.string(),
  text: z.string().min(1),
  subject: z.string().optional(),
  channel: z.enum(REPLY_CHANNELS),
  lang: z.enum(["ro", "en"]),
  intent: z.enum(REPLY_INTENTS),
  optOut: z.boolean(),
  laterUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  contact: suggestedContactSchema.optional(),
});
export type LabelledReply = z.infer<typeof labelledReplySchema>;

export type EvalSet = "tune" | "held-out";

export function loadEvalSet(set: EvalSet): LabelledReply[] {
  const file = path.join(EVAL_DIR, `${set}.jsonl`);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const parsed = labelledReplySchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${set}.jsonl line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface EvalOutcome {
  item: LabelledReply;
  result: ReplyUnderstanding;
  route: RouteDecision;
  correct: boolean;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  perIntent: Record<ReplyIntent, { total: number; correct: number; predicted: number }>;
  /** Items labelled optOut whose result has optOut true (UNSUBSCRIBE + COMPLAINT + other explicit opt-outs). */
  optOutRecall: number;
  /** Items the engine opted out that were labelled as no opt-out (a lead lost by mistake). */
  falseOptOuts: EvalOutcome[];
  /** UNSUBSCRIBE / COMPLAINT labels routed AUTO: must be empty. */
  unsafeAuto: EvalOutcome[];
  dates: { total: number; correct: number };
  contacts: { total: number; correct: number };
  misses: EvalOutcome[];
}

export function evaluate(items: readonly LabelledReply[], understand: (item: LabelledReply) => ReplyUnderstanding): EvalReport {
  const perIntent = Object.fromEntries(REPLY_INTENTS.map((i) => [i, { total: 0, correct: 0, predicted: 0 }])) as EvalReport["perIntent"];
  const outcomes: EvalOutcome[] = items.map((item) => {
    const result = understand(item);
    return { item, result, route: routeReply(result), correct: result.intent === item.intent };
  });
  let optOutLabelled = 0;
  let optOutFound = 0;
  const dates = { total: 0, correct: 0 };
  const contacts = { total: 0, correct: 0 };
  for (const o of outcomes) {
    perIntent[o.item.intent].total++;
    perIntent[o.result.intent].predicted++;
    if (o.correct) perIntent[o.item.intent].correct++;
    if (o.item.optOut) {
      optOutLabelled++;
      if (o.result.optOut) optOutFound++;
    }
    if (o.item.laterUntil) {
      dates.total++;
      if (o.result.laterUntil === o.item.laterUntil) dates.correct++;
    }
    if (o.item.contact) {
      contacts.total++;
      const got = o.result.suggestedContact ?? {};
      if (Object.entries(o.item.contact).every(([k, v]) => got[k as keyof typeof got] === v)) contacts.correct++;
    }
  }
  const correct = outcomes.filter((o) => o.correct).length;
  return {
    total: outcomes.length,
    correct,
    accuracy: outcomes.length ? correct / outcomes.length : 0,
    perIntent,
    optOutRecall: optOutLabelled ? optOutFound / optOutLabelled : 1,
    falseOptOuts: outcomes.filter((o) => o.result.optOut && !o.item.optOut),
    unsafeAuto: outcomes.filter((o) => (o.item.intent === "UNSUBSCRIBE" || o.item.intent === "COMPLAINT") && o.route.route === "AUTO"),
    dates,
    contacts,
    misses: outcomes.filter((o) => !o.correct),
  };
}

const pct = (n: number) => `${(100 * n).toFixed(1)} %`;

/** A printable table: per intent recall and precision, then the totals. */
export function formatReport(name: string, report: EvalReport): string {
  const lines = [`${name}: ${report.correct}/${report.total} correct = ${pct(report.accuracy)}`];
  lines.push("  intent           labelled  correct  recall   predicted  precision");
  for (const intent of REPLY_INTENTS) {
    const r = report.perIntent[intent];
    const correctPredicted = r.correct;
    lines.push(
      `  ${intent.padEnd(16)} ${String(r.total).padStart(8)} ${String(r.correct).padStart(8)}  ${(r.total ? pct(r.correct / r.total) : "—").padStart(7)} ${String(r.predicted).padStart(10)}  ${(r.predicted ? pct(correctPredicted / r.predicted) : "—").padStart(9)}`,
    );
  }
  lines.push(`  opt-out recall ${pct(report.optOutRecall)}; false opt-outs ${report.falseOptOuts.length}; UNSUBSCRIBE/COMPLAINT routed AUTO ${report.unsafeAuto.length}`);
  lines.push(`  resume dates ${report.dates.correct}/${report.dates.total}; contacts ${report.contacts.correct}/${report.contacts.total}`);
  return lines.join("\n");
}
