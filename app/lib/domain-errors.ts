/**
 * The sentence for a failed call on the managers' pages (sequences, templates, analytics, settings):
 * the domain code when the server gave one, else the tRPC code, else a network failure. Never the
 * server's English text.
 */
import { TRPCClientError } from "@trpc/client";
import type { PlainMessageKey } from "~/lib/i18n";
import { trpcErrorCode } from "~/lib/trpc";

const DOMAIN_MESSAGES = {
  SEQUENCE_INVALID: "errors.SEQUENCE_INVALID",
  SEQUENCE_NAME_TAKEN: "errors.SEQUENCE_NAME_TAKEN",
  SEQUENCE_HAS_HISTORY: "errors.SEQUENCE_HAS_HISTORY",
  SEQUENCE_ARCHIVED: "errors.SEQUENCE_ARCHIVED",
  SEQUENCE_INACTIVE: "errors.SEQUENCE_INACTIVE",
  SEQUENCE_EMPTY: "errors.SEQUENCE_EMPTY",
  SEQUENCE_NOT_FOUND: "errors.NOT_FOUND",
  TEMPLATE_INVALID: "errors.TEMPLATE_INVALID",
  TEMPLATE_NAME_TAKEN: "errors.TEMPLATE_NAME_TAKEN",
  TEMPLATE_NO_ACTIVE_VERSION: "errors.TEMPLATE_NO_ACTIVE_VERSION",
  TEMPLATE_NOT_FOUND: "errors.NOT_FOUND",
  LEAD_NOT_FOUND: "errors.NOT_FOUND",
  USER_EMAIL_TAKEN: "errors.USER_EMAIL_TAKEN",
  USER_SELF_CHANGE: "errors.USER_SELF_CHANGE",
  LAST_ADMIN: "errors.LAST_ADMIN",
  USER_NOT_FOUND: "errors.NOT_FOUND",
  STATS_RANGE_TOO_LONG: "errors.STATS_RANGE_TOO_LONG",
  ANALYTICS_PERIOD_INVALID: "errors.BAD_REQUEST",
  QUOTA_STORE_UNAVAILABLE: "errors.QUOTA_STORE_UNAVAILABLE",
} as const satisfies Record<string, PlainMessageKey>;

const CODE_MESSAGES = {
  UNAUTHORIZED: "errors.UNAUTHORIZED",
  FORBIDDEN: "errors.FORBIDDEN",
  BAD_REQUEST: "errors.BAD_REQUEST",
  NOT_FOUND: "errors.NOT_FOUND",
  CONFLICT: "errors.CONFLICT",
  PRECONDITION_FAILED: "errors.CONFLICT",
  SERVICE_UNAVAILABLE: "errors.SERVICE_UNAVAILABLE",
  TOO_MANY_REQUESTS: "errors.TOO_MANY_REQUESTS",
} as const satisfies Record<string, PlainMessageKey>;

const hasKey = <T extends object>(map: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(map, key);

export function domainCodeOf(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "domainCode" in data && typeof data.domainCode === "string") return data.domainCode;
  return null;
}

/** The `details` a domain error carried is not sent to the browser; issues come back through zod or our own checks. */
export function errorMessageKey(error: unknown): PlainMessageKey {
  const domainCode = domainCodeOf(error);
  if (domainCode && hasKey(DOMAIN_MESSAGES, domainCode)) return DOMAIN_MESSAGES[domainCode];
  const code = trpcErrorCode(error);
  if (code && hasKey(CODE_MESSAGES, code)) return CODE_MESSAGES[code];
  if (error instanceof TRPCClientError && code === null) return "errors.NETWORK";
  return "errors.UNKNOWN";
}
