/**
 * A tenant's business settings as one form (the settings page) and one procedure input: the same zod
 * schema validates in the browser as the admin types and on the server before anything is written.
 * Isomorphic (no server imports). Defaults are the seeds' business constraints.
 *
 * Where each value lives and who reads it (every reader reads the tenant row when it acts, so a change
 * applies from the next dispatch run / send / review without a restart):
 *   timezone, sendingDays, sendingStartHour, sendingEndHour, holidayCountry (settings.holidayCountry)
 *       the sending window: dispatch, both send paths, the Lua quota check, sequence timing
 *   waDailyQuota        the new-contact limit a new phone starts with; phones that still had the old
 *                       default follow a change (their own limits, set on the phones page, stay)
 *   jitterMinSeconds, jitterMaxSeconds   spacing of consecutive sends on one phone
 *   bounceThreshold     campaign pause above this bounce rate (a fraction: 0.03 = 3 %)
 *   sentimentAutoThreshold   a reply scoring at least this takes the automatic path and counts as positive
 *   sla*Minutes         review deadlines per priority
 *   autoAnswerMode      OFF / APPROVAL / AUTO for drafted answers; autoAnswerCaps (columns
 *                       auto_answer_daily_cap, auto_answer_tenant_daily_cap) cap the automatic answers
 *                       per lead and per tenant per day (the reply worker reads the same columns)
 *   dispatchBatchSize   leads one dispatch run takes at most
 */
import { IANAZone } from "luxon";
import { z } from "zod";

/** Countries whose public holidays the calendar knows (date-holidays); null = no holidays. */
export const HOLIDAY_COUNTRIES = ["RO", "MD", "BG", "HU", "DE", "AT", "IT", "FR", "ES", "PL"] as const;

/** Zones a Romanian team plausibly works in; any valid IANA zone is accepted. */
export const COMMON_TIME_ZONES = ["Europe/Bucharest", "Europe/Chisinau", "Europe/Sofia", "Europe/Budapest", "Europe/Berlin", "Europe/London", "UTC"] as const;

export const AUTO_ANSWER_MODES = ["OFF", "APPROVAL", "AUTO"] as const;

export const autoAnswerCapsSchema = z.object({
  /** Automatic answers one lead may receive per day (a conversation needs a person after that). */
  perLeadPerDay: z.number().int().min(0).max(20),
  /** Automatic answers the whole tenant may send per day. */
  perTenantPerDay: z.number().int().min(0).max(100_000),
});
export type AutoAnswerCaps = z.infer<typeof autoAnswerCapsSchema>;

/**
 * Field rules shared with the review page's reply settings (server/trpc/routers/reviews/schemas.ts),
 * which writes the same columns: one rule per value whichever page saves it.
 */
export const slaMinutesSchema = z.number().int().min(5).max(30 * 24 * 60);
export const sentimentThresholdSchema = z.number().int().min(0).max(100);
const minutes = slaMinutesSchema;

export type SlaMinutes = Record<"slaUrgentMinutes" | "slaHighMinutes" | "slaMediumMinutes" | "slaLowMinutes", number>;

/** The priorities whose deadline is shorter than the next more urgent one's (a more urgent priority never waits longer). */
export function slaOrderViolations(s: SlaMinutes): Array<keyof SlaMinutes> {
  const order = ["slaUrgentMinutes", "slaHighMinutes", "slaMediumMinutes", "slaLowMinutes"] as const;
  return order.filter((key, i) => i > 0 && s[key] < s[order[i - 1]!]);
}

export const tenantSettingsSchema = z
  .object({
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: "TIMEZONE_INVALID" }),
    sendingDays: z
      .array(z.number().int().min(1).max(7))
      .min(1, { message: "SENDING_DAYS_EMPTY" })
      .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
    sendingStartHour: z.number().int().min(0).max(23),
    sendingEndHour: z.number().int().min(1).max(24),
    holidayCountry: z.enum(HOLIDAY_COUNTRIES).nullable(),
    waDailyQuota: z.number().int().min(0).max(1000),
    jitterMinSeconds: z.number().int().min(0).max(3600),
    jitterMaxSeconds: z.number().int().min(0).max(3600),
    /** A fraction: 0.03 = 3 %. */
    bounceThreshold: z.number().min(0.001).max(0.5),
    sentimentAutoThreshold: sentimentThresholdSchema,
    slaUrgentMinutes: minutes,
    slaHighMinutes: minutes,
    slaMediumMinutes: minutes,
    slaLowMinutes: minutes,
    autoAnswerMode: z.enum(AUTO_ANSWER_MODES),
    autoAnswerCaps: autoAnswerCapsSchema,
    dispatchBatchSize: z.number().int().min(1).max(1000),
  })
  .superRefine((s, ctx) => {
    if (s.sendingStartHour >= s.sendingEndHour) ctx.addIssue({ code: "custom", path: ["sendingEndHour"], message: "WINDOW_END_BEFORE_START" });
    if (s.jitterMinSeconds > s.jitterMaxSeconds) ctx.addIssue({ code: "custom", path: ["jitterMaxSeconds"], message: "JITTER_MAX_BELOW_MIN" });
    // A more urgent priority never gets a longer deadline than a less urgent one.
    for (const late of slaOrderViolations(s)) ctx.addIssue({ code: "custom", path: [late], message: "SLA_ORDER" });
  });

export type TenantSettings = z.output<typeof tenantSettingsSchema>;
export type TenantSettingsInput = z.input<typeof tenantSettingsSchema>;

/** The form's errors by field: the message is a code the UI translates (or zod's own text). */
export function settingsErrors(input: unknown): Partial<Record<keyof TenantSettings | "autoAnswerCaps.perLeadPerDay" | "autoAnswerCaps.perTenantPerDay", string>> {
  const parsed = tenantSettingsSchema.safeParse(input);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".");
    out[key] ??= issue.message;
  }
  return out;
}

/** Reads the holiday country from tenants.settings: absent = "RO" (as the sending window does), null = none. */
export function holidayCountryFrom(settings: unknown): TenantSettings["holidayCountry"] {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).holidayCountry : undefined;
  if (raw === null) return null;
  return HOLIDAY_COUNTRIES.find((c) => c === raw) ?? "RO";
}
