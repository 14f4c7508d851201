import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Secret comparison that leaks nothing through timing: both sides are hashed first, so the compare
 * always runs over 32 bytes whatever the lengths, and an early difference says nothing about the
 * secret (see the webhook_attribution migration for the same argument on the database side).
 */
export function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Shape of a tenant's TimelinesAI URL secret (64 hex chars, see Tenant.timelinesaiWebhookSecret).
 * Checked before any lookup so random path probes never reach the database.
 */
export const TIMELINESAI_SECRET_SHAPE = /^[0-9a-f]{64}$/;
