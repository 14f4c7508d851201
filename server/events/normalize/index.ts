import type { Provider, Normalized, RawRef } from "../types";
import { normalizeInstantly } from "./instantly";
import { normalizeResend } from "./resend";
import { normalizeTimelines } from "./timelinesai";

/**
 * A stored provider payload → one internal event, or the reason it is ignored. Pure: the payload is
 * re-validated with the provider's schema (it comes back out of the database), nothing is looked up.
 */
export function normalize(provider: Provider, payload: unknown, raw: RawRef, receivedAt: Date): Normalized {
  switch (provider) {
    case "RESEND":
      return normalizeResend(payload, raw, receivedAt);
    case "INSTANTLY":
      return normalizeInstantly(payload, raw, receivedAt);
    case "TIMELINESAI":
      return normalizeTimelines(payload, raw, receivedAt);
  }
}
