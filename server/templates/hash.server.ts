/**
 * The two hashes of template rendering, kept apart from the spintax parser (spintax.ts) so the parser
 * also runs in the browser (the template editor checks as you type); these need node:crypto.
 */
import { createHash } from "node:crypto";
import type { Picker } from "./spintax";

/**
 * Deterministic per seed and group: sha256(seed, group id) → an index. A group's choice does not
 * depend on choices made before it, so editing one group of a template does not reshuffle the others
 * for every lead.
 */
export function seededPicker(seed: string): Picker {
  return (groupId, count) => {
    const digest = createHash("sha256").update(`${seed}\u0000${groupId}`).digest();
    return digest.readUInt32BE(0) % count;
  };
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
