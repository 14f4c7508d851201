/**
 * Deterministic identifiers: the same input always gives the same id, so a retried or racing
 * producer collides with its twin instead of doing the work twice.
 */
import { createHash } from "node:crypto";
import type { SendChannel } from "./types";

/** A UUID (version 8, "custom") from the SHA-256 of `name`: pg-boss job ids must be UUIDs. */
export function deterministicUuid(name: string): string {
  const h = createHash("sha256").update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const s = h.subarray(0, 16).toString("hex");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * The send's idempotency key (gold_communication_log.idempotency_key, UNIQUE): one message per
 * journey, sequence step and channel, whoever sends it and however often the job is retried.
 */
export function sendIdempotencyKey(journeyId: string, step: number, channel: SendChannel): string {
  return `${journeyId}:${step}:${channel}`;
}

export const DISPATCH_SLOT_MS = 5 * 60_000;

/** Start of the 5-minute slot an instant falls in (the dispatch run's identity). */
export function dispatchSlot(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DISPATCH_SLOT_MS) * DISPATCH_SLOT_MS);
}

export function dispatchSingletonKey(tenantId: string, slot: Date): string {
  return `dispatch:${tenantId}:${slot.toISOString()}`;
}

/** SHA-256 of the normalised text: the same words to the same lead are recognised however spaced. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text.replace(/\s+/g, " ").trim().toLowerCase()).digest("hex");
}
