/** API key procedures' schemas (isomorphic: the admin page's types come from here). */
import { z } from "zod";

export const API_KEY_SCOPES = ["READ", "WRITE"] as const;
export const API_KEY_ROLES = ["SALES_REP", "MANAGER", "ADMIN"] as const;

export const apiKeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The key's first characters, to tell keys apart; never the key. */
  prefix: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  role: z.enum(API_KEY_ROLES),
  createdAt: z.date(),
  createdBy: z.string(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  revokedBy: z.string().nullable(),
});
export type ApiKeyView = z.output<typeof apiKeyView>;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(2).max(80),
  scope: z.enum(API_KEY_SCOPES),
  role: z.enum(API_KEY_ROLES).default("MANAGER"),
});

/** The key is in this answer and nowhere else, ever: only its hash is stored. */
export const createApiKeyOutput = z.object({ key: z.string(), apiKey: apiKeyView });
export const revokeApiKeyInput = z.object({ apiKeyId: z.uuid() });
