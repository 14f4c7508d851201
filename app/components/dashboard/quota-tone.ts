/**
 * How one phone's WhatsApp quota tile is coloured (seeds F2.15.1.T002): green under 90 % of the
 * daily limit, amber from 90 % to 99 %, red at 100 % or when the phone cannot send (offline, banned).
 * A phone that is deliberately not sending (paused, disabled, quarantined, reconnecting) is neutral,
 * and an unknown usage (quota store unreachable) is never shown as a colour it might not be.
 */
export type PhoneStatus = "ACTIVE" | "PAUSED" | "OFFLINE" | "BANNED" | "RECONNECTING" | "QUARANTINE";
export type QuotaTone = "ok" | "near" | "full" | "down" | "idle" | "unknown";

export interface QuotaTileInput {
  status: PhoneStatus;
  isEnabled: boolean;
  /** New contacts today; null when the quota store could not be read. */
  used: number | null;
  limit: number;
}

export const NEAR_LIMIT_RATIO = 0.9;

export function quotaTone({ status, isEnabled, used, limit }: QuotaTileInput): QuotaTone {
  if (status === "OFFLINE" || status === "BANNED") return "down";
  if (status !== "ACTIVE" || !isEnabled) return "idle";
  if (used === null) return "unknown";
  if (limit <= 0 || used >= limit) return "full";
  return used / limit >= NEAR_LIMIT_RATIO ? "near" : "ok";
}
