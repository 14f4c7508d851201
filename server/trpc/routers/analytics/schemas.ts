/** Input and output schemas of the analytics and statistics procedures. */
import { z } from "zod";

const n = z.number().int().nonnegative();
const day = z.iso.date();
export const periodInput = z.object({ from: day, to: day });

const channelTotals = {
  sent: n,
  delivered: n,
  opened: n,
  clicked: n,
  replied: n,
  positiveReplies: n,
  bounced: n,
  failed: n,
  optedOut: n,
  conversions: n,
};
const totals = z.object({
  ...channelTotals,
  newContacts: n,
  leadsContacted: n,
  leadsReplied: n,
  reviewsCreated: n,
  reviewsResolved: n,
  slaBreaches: n,
  emailsSent: n,
  emailsBounced: n,
  computedDays: n,
  days: n,
});
const counts = { sent: n, delivered: n, opened: n, clicked: n, replied: n, positiveReplies: n, bounced: n, failed: n };
const channel = z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]);

export const reportOutput = z.object({
  period: periodInput,
  previous: periodInput,
  today: day,
  timeZone: z.string(),
  lastComputedAt: z.date().nullable(),
  totals,
  previousTotals: totals,
  channels: z.array(z.object({ channel, ...channelTotals, previous: z.object(channelTotals) })),
  series: z.array(z.object({ date: day, sent: n.nullable(), replied: n.nullable(), positiveReplies: n.nullable(), conversions: n.nullable() })),
  steps: z.array(z.object({ sequenceId: z.uuid(), sequenceName: z.string(), archived: z.boolean(), stepNumber: z.number().int(), channel: z.string(), ...counts })),
  templates: z.array(
    z.object({ templateId: z.uuid(), templateName: z.string(), channel: z.string(), versionId: z.uuid(), versionNumber: z.number().int(), versionActive: z.boolean(), ...counts }),
  ),
  phones: z.array(
    z.object({
      phoneId: z.uuid(),
      label: z.string(),
      phoneNumber: z.string(),
      status: z.string(),
      sent: n,
      newContacts: n,
      followups: n,
      delivered: n,
      read: n,
      replied: n,
      positiveReplies: n,
      failed: n,
    }),
  ),
  reps: z.array(
    z.object({
      userId: z.uuid(),
      name: z.string(),
      role: z.string(),
      isActive: z.boolean(),
      sent: n,
      replied: n,
      positiveReplies: n,
      converted: n,
      reviewsResolved: n,
      reviewsResolvedInSla: n,
      reviewsBreached: n,
      averageResolveSeconds: n.nullable(),
    }),
  ),
  campaigns: z.array(z.object({ campaignId: z.uuid(), name: z.string(), status: z.string(), sent: n, opened: n, clicked: n, replied: n, bounced: n })),
  firstReply: z.array(z.object({ channel, firstReplies: n, averageSeconds: n.nullable(), within1h: n, within4h: n, within24h: n, within72h: n })),
});

export const statusOutput = z.object({
  today: day,
  timeZone: z.string(),
  recent: z.array(z.object({ day, computedAt: z.date() })),
  firstDay: day.nullable(),
  days: n,
});

export const recomputeOutput = z.object({
  tenantId: z.uuid(),
  from: day,
  to: day,
  days: n,
  sent: n,
  replies: n,
  durationMs: n,
});
