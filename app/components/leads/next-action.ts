/**
 * The "why" under the next action, in the reader's language. The automation writes
 * gold_lead_journey.next_action_reason as short English notes (server/pipeline/dispatch/, the
 * sequence runner, changeLeadState's "state X: <the person's reason>"); the list shows the known
 * ones translated and any other note as written, so nothing is hidden. Pure, browser-safe.
 */
import type { Translate } from "~/lib/i18n";
import { LEAD_STATES, type LeadState } from "#server/lead-state/transitions";

const CHANNELS: Record<string, string> = { WHATSAPP: "WhatsApp", EMAIL_COLD: "e-mail", EMAIL_WARM: "e-mail" };

export function nextActionReasonText(reason: string, t: Translate): string {
  const text = reason.trim();
  if (text === "sequence finished") return t("leadsList.reason.sequenceFinished");
  if (text === "no usable channel") return t("leadsList.reason.noChannel");
  if (text === "no sequence step to send") return t("leadsList.reason.noStep");
  if (text === "waiting for the lead's phone to be ACTIVE") return t("leadsList.reason.phoneInactive");
  if (text === "new-contact quota of every phone used today") return t("leadsList.reason.quotaUsed");
  if (text.startsWith("WhatsApp send queued")) return t("leadsList.reason.queued", { channel: "WhatsApp" });
  const step = /^sequence step (\d+)$/.exec(text);
  if (step) return t("leadsList.reason.step", { step: Number(step[1]) });
  const queued = /^(\w+) send queued$/.exec(text);
  if (queued && CHANNELS[queued[1]!]) return t("leadsList.reason.queued", { channel: CHANNELS[queued[1]!]! });
  const state = /^state (\w+): (.*)$/s.exec(text);
  if (state && (LEAD_STATES as readonly string[]).includes(state[1]!)) return `${t(`state.${state[1] as LeadState}`)}: ${state[2]}`;
  return text;
}
