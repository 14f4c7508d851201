import { describe, expect, it } from "vitest";
import { holidayCountryFrom, settingsErrors, tenantSettingsSchema } from "../../server/settings/tenant-settings";

const valid = {
  timezone: "Europe/Bucharest",
  sendingDays: [5, 1, 2, 3, 4, 1],
  sendingStartHour: 9,
  sendingEndHour: 18,
  holidayCountry: "RO",
  waDailyQuota: 200,
  jitterMinSeconds: 30,
  jitterMaxSeconds: 150,
  bounceThreshold: 0.03,
  sentimentAutoThreshold: 50,
  slaUrgentMinutes: 60,
  slaHighMinutes: 240,
  slaMediumMinutes: 1440,
  slaLowMinutes: 4320,
  autoAnswerMode: "APPROVAL",
  autoAnswerCaps: { perLeadPerDay: 2, perTenantPerDay: 500 },
  dispatchBatchSize: 100,
} as const;

describe("the settings form's schema (the same in the browser and the procedure)", () => {
  it("accepts the seeds' defaults and tidies the days", () => {
    expect(tenantSettingsSchema.parse(valid).sendingDays).toEqual([1, 2, 3, 4, 5]);
    expect(settingsErrors(valid)).toEqual({});
  });

  it("names the field of each mistake with a code the page translates", () => {
    expect(settingsErrors({ ...valid, sendingStartHour: 18, sendingEndHour: 9 })).toEqual({ sendingEndHour: "WINDOW_END_BEFORE_START" });
    expect(settingsErrors({ ...valid, jitterMaxSeconds: 10 })).toEqual({ jitterMaxSeconds: "JITTER_MAX_BELOW_MIN" });
    expect(settingsErrors({ ...valid, slaHighMinutes: 30 })).toEqual({ slaHighMinutes: "SLA_ORDER" });
    expect(settingsErrors({ ...valid, timezone: "Mars/Olympus" })).toEqual({ timezone: "TIMEZONE_INVALID" });
    expect(settingsErrors({ ...valid, sendingDays: [] })).toEqual({ sendingDays: "SENDING_DAYS_EMPTY" });
    expect(Object.keys(settingsErrors({ ...valid, waDailyQuota: Number.NaN, autoAnswerCaps: { perLeadPerDay: 99, perTenantPerDay: 1 } })).sort()).toEqual(["autoAnswerCaps.perLeadPerDay", "waDailyQuota"]);
  });

  it("reads the JSON key with its default: no holidayCountry is Romania, null is none", () => {
    expect(holidayCountryFrom({})).toBe("RO");
    expect(holidayCountryFrom({ holidayCountry: null })).toBeNull();
    expect(holidayCountryFrom({ holidayCountry: "MD" })).toBe("MD");
  });
});
