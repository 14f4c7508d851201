/**
 * A/B versions of one template side by side: sent, delivered, opened, replied and positive replies
 * per version, summed from the daily template statistics (outreach_daily_template_stats: the stats
 * job's breakdown of the log, where a reply counts for the version of the message it answered and is
 * positive when its analysis score reached the tenant's threshold), and a significance hint on the
 * reply rate (server/stats/significance.ts).
 */
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import { significanceHint, type SignificanceHint } from "../stats/significance";

export interface VersionResult {
  versionId: string;
  versionNumber: number;
  isActive: boolean;
  weight: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  positiveReplies: number;
  bounced: number;
}

export interface AbResults {
  templateId: string;
  versions: VersionResult[];
  hint: SignificanceHint;
}

export async function templateAbResults(tx: TenantTx, templateId: string): Promise<AbResults> {
  const template = await tx.outreachTemplate.findUnique({
    where: { id: templateId },
    select: { id: true, versions: { orderBy: { versionNumber: "asc" }, select: { id: true, versionNumber: true, isActive: true, weight: true } } },
  });
  if (!template) throw notFound("template", templateId);
  const sums = await tx.$queryRaw<Array<{ version_id: string; sent: number; delivered: number; opened: number; clicked: number; replied: number; positive: number; bounced: number }>>`
    SELECT template_version_id::text AS version_id, sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(opened)::int AS opened,
           sum(clicked)::int AS clicked, sum(replied)::int AS replied, sum(positive_replies)::int AS positive, sum(bounced)::int AS bounced
      FROM outreach_daily_template_stats
     WHERE template_id = ${templateId}::uuid
     GROUP BY 1`;
  const byVersion = new Map(sums.map((r) => [r.version_id, r]));
  const versions = template.versions.map((v): VersionResult => {
    const r = byVersion.get(v.id);
    return {
      versionId: v.id,
      versionNumber: v.versionNumber,
      isActive: v.isActive,
      weight: v.weight,
      sent: r?.sent ?? 0,
      delivered: r?.delivered ?? 0,
      opened: r?.opened ?? 0,
      clicked: r?.clicked ?? 0,
      replied: r?.replied ?? 0,
      positiveReplies: r?.positive ?? 0,
      bounced: r?.bounced ?? 0,
    };
  });
  // The live versions and any that sent something compete (a new variant with no sends yet means
  // "not enough data", not "nothing to compare").
  const hint = significanceHint(versions.filter((v) => v.isActive || v.sent > 0).map((v) => ({ id: v.versionId, successes: v.replied, trials: v.sent })));
  return { templateId, versions, hint };
}
