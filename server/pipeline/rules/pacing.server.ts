/**
 * Spacing of consecutive sends on one phone: at least jitter_min_seconds plus a random part up to
 * jitter_max_seconds (seeds: 30 s + rand(0..120 s)).
 *
 * The random part is derived from the phone and the time of its last send, not drawn at check time:
 * every worker that looks at the phone computes the same next-allowed instant, and re-checking never
 * re-rolls the dice (which would skew waits towards the minimum). No column is needed beyond
 * wa_phone_numbers.last_message_sent_at, which the send path sets.
 */
import { createHash } from "node:crypto";

export interface SpacingSettings {
  jitterMinSeconds: number;
  jitterMaxSeconds: number;
}

export function spacingMs(phoneId: string, lastSentAt: Date, s: SpacingSettings): number {
  const min = Math.max(0, s.jitterMinSeconds) * 1000;
  const max = Math.max(min, s.jitterMaxSeconds * 1000);
  if (max === min) return min;
  const digest = createHash("sha256").update(`${phoneId}|${lastSentAt.getTime()}`).digest();
  const unit = digest.readUInt32BE(0) / 0x1_0000_0000;
  return min + Math.floor(unit * (max - min + 1));
}

/** The earliest moment the phone may send again; null last send = now. */
export function nextSendAllowedAt(phoneId: string, lastSentAt: Date | null, s: SpacingSettings): Date | null {
  if (!lastSentAt) return null;
  return new Date(lastSentAt.getTime() + spacingMs(phoneId, lastSentAt, s));
}
