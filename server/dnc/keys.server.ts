/** The hashed form of a do-not-contact key (SQL: `dnc_hashed`), for entries kept after a GDPR erasure. */
import { createHash } from "node:crypto";
import { HASHED_PREFIX } from "./keys";

export function hashedKey(key: string): string {
  return HASHED_PREFIX + createHash("sha256").update(key, "utf8").digest("hex");
}

/** The values an entry matching `key` may hold: the key itself or its hash. */
export function storedForms(key: string): [string, string] {
  return [key, hashedKey(key)];
}
