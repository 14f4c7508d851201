/**
 * A tenant's quota settings: its sending window and the default daily new-contact limit per phone.
 * Built from the tenant row (timezone, sending_days, sending_start_hour, sending_end_hour,
 * wa_daily_quota). The holiday calendar has no column: it is `settings.holidayCountry` (a two-letter
 * country or null for none), default "RO".
 */
import { z } from "zod";
import { DomainError } from "../errors";
import { DEFAULT_SENDING_WINDOW, sendingWindowSchema, type SendingWindow } from "./window";

export interface TenantQuotaSettings {
  window: SendingWindow;
  /** Limit for phones whose mirror carries none; each phone's own daily_quota_limit wins. */
  defaultLimit: number;
}

export const DEFAULT_DAILY_LIMIT = 200;

export const DEFAULT_QUOTA_SETTINGS: TenantQuotaSettings = Object.freeze({
  window: DEFAULT_SENDING_WINDOW,
  defaultLimit: DEFAULT_DAILY_LIMIT,
});

export interface TenantQuotaRow {
  timezone: string;
  sendingDays: number[];
  sendingStartHour: number;
  sendingEndHour: number;
  waDailyQuota: number;
  settings: unknown;
}

const holidaySetting = z.object({ holidayCountry: z.string().regex(/^[A-Z]{2}$/).nullable().optional() }).loose();

/**
 * Settings already built, by the row values they come from: every send reads its tenant row, and the
 * same object back lets calendarFor find its calendar by identity (luxon zone checks and holiday
 * tables are not redone per message). Bounded: cleared when it outgrows any real tenant count.
 */
const built = new Map<string, TenantQuotaSettings>();
const MAX_BUILT = 1_000;

export function quotaSettingsFromTenant(row: TenantQuotaRow): TenantQuotaSettings {
  const holidayCountry = row.settings && typeof row.settings === "object" ? (row.settings as Record<string, unknown>).holidayCountry : undefined;
  // An object, not an array: an absent holidayCountry (default "RO") must not read as null (none).
  const key = JSON.stringify({ z: row.timezone, d: row.sendingDays, s: row.sendingStartHour, e: row.sendingEndHour, q: row.waDailyQuota, h: holidayCountry });
  const known = built.get(key);
  if (known) return known;
  const settings = buildQuotaSettings(row);
  if (built.size >= MAX_BUILT) built.clear();
  built.set(key, settings);
  return settings;
}

function buildQuotaSettings(row: TenantQuotaRow): TenantQuotaSettings {
  const extra = holidaySetting.safeParse(row.settings ?? {});
  const window = sendingWindowSchema.safeParse({
    timeZone: row.timezone,
    days: row.sendingDays,
    startHour: row.sendingStartHour,
    endHour: row.sendingEndHour,
    holidayCountry: extra.success && extra.data.holidayCountry !== undefined ? extra.data.holidayCountry : "RO",
  });
  // A broken configuration stops sending for that tenant (safe) and says why, rather than falling
  // back to defaults the tenant did not choose.
  if (!window.success) {
    throw new DomainError("PRECONDITION_FAILED", "TENANT_WINDOW_INVALID", `tenant sending window is invalid: ${window.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  if (!Number.isInteger(row.waDailyQuota) || row.waDailyQuota < 0) {
    throw new DomainError("PRECONDITION_FAILED", "TENANT_WINDOW_INVALID", `wa_daily_quota must be a count, got ${row.waDailyQuota}`);
  }
  return Object.freeze({ window: Object.freeze(window.data), defaultLimit: row.waDailyQuota });
}
