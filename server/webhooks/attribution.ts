/**
 * The contract between whoever sends warm email through Resend and the Resend webhook receiver:
 * every send carries these two tags (Resend echoes tags back on each webhook, as an object).
 *
 * - `cerniq_tenant`: the tenant id, so the receiver can attribute the event even before the send job
 *   has stored Resend's email id (Resend emits `email.sent` immediately).
 * - `cerniq_message`: our gold_communication_log id, so the event finds its log row by primary key
 *   whatever the order of "provider answered" and "log row updated".
 *
 * Tag values allow ASCII letters, digits, `_` and `-`; UUIDs qualify.
 */
export const RESEND_TAG_TENANT = "cerniq_tenant";
export const RESEND_TAG_MESSAGE = "cerniq_message";

export function resendAttributionTags(tenantId: string, communicationLogId: string): Record<string, string> {
  return { [RESEND_TAG_TENANT]: tenantId, [RESEND_TAG_MESSAGE]: communicationLogId };
}
