/**
 * The lead page's read-only cards: the company and its contact details (with the data's source and
 * legal basis), and the journey — stage with its history (who, when, why), what holds the automation
 * back, the sequences with their next step, the next action with its reason and the automation's
 * last decision (the explain trail's newest entry).
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { formatDateTime, formatNumber, formatPhone } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { isLegalBasis, parseLeadSource } from "#server/leads/provenance";
import { automationHolds, blockedText, decisionActor, decisionKey, manualDecision, type LeadDetail } from "./lead-model";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_minmax(0,1fr)] gap-2 py-1.5 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const dash = "—";

/** gold_companies.source in words: the Gold-stage run and when it landed, or the CSV file (server/leads/provenance.ts). */
function SourceText({ source }: { source: string | null }) {
  const t = useT();
  const locale = useLocale();
  if (source === null) return <>{t("lead.company.unknown")}</>;
  const s = parseLeadSource(source);
  switch (s.kind) {
    case "GOLD_IMPORT":
      return <>{s.run && s.at ? t("lead.company.from.goldRun", { run: s.run, when: formatDateTime(s.at, locale) }) : t("lead.company.from.gold")}</>;
    case "CSV":
      return <>{t("lead.company.from.csv", { file: s.fileName })}</>;
    case "OTHER":
      return <>{s.raw}</>;
  }
}

export function CompanyCard({ lead }: { lead: LeadDetail }) {
  const t = useT();
  const locale = useLocale();
  const c = lead.company;
  const place = [c.locality, c.county].filter(Boolean).join(", ");
  return (
    <Card>
      <CardHeader className="pb-2">
        <CardTitle as="h2">{t("lead.company.title")}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Row label={t("lead.company.cui")}>{c.cui ?? dash}</Row>
          <Row label={t("lead.company.location")}>{place || dash}</Row>
          <Row label={t("lead.company.caen")}>{c.caen ?? dash}</Row>
          <Row label={t("lead.company.area")}>{c.farmedAreaHa === null ? dash : t("lead.company.areaValue", { area: formatNumber(c.farmedAreaHa, locale, 1) })}</Row>
          <Row label={t("lead.company.contact")}>{[c.contactName, c.contactRole].filter(Boolean).join(" · ") || dash}</Row>
          <Row label={t("lead.company.phone")}>
            {c.phone ? (
              <span className="flex flex-wrap items-center gap-1.5">
                <a className="font-medium underline-offset-2 hover:underline" href={`tel:${c.phone.replace(/\s+/g, "")}`}>
                  {formatPhone(c.phone)}
                </a>
                <Badge variant={c.phoneReachable === true ? "success" : c.phoneReachable === false ? "destructive" : "outline"}>{t(`lead.company.hlr.${String(c.phoneReachable) as "true" | "false" | "null"}`)}</Badge>
                {lead.doNotContact.phone ? <Badge variant="destructive">{t("lead.company.dnc")}</Badge> : null}
                {lead.optedOut.whatsapp ? <Badge variant="warning">{t("lead.company.optedOut")}</Badge> : null}
              </span>
            ) : (
              dash
            )}
          </Row>
          <Row label={t("lead.company.email")}>
            {c.email ? (
              <span className="flex flex-wrap items-center gap-1.5">
                <span className="break-all">{c.email}</span>
                <Badge variant={c.emailStatus === "VALID" ? "success" : c.emailStatus === "UNKNOWN" ? "outline" : "warning"}>{t(`lead.company.emailStatus.${c.emailStatus}`)}</Badge>
                {lead.doNotContact.email || lead.doNotContact.domain ? <Badge variant="destructive">{t("lead.company.dnc")}</Badge> : null}
                {lead.optedOut.email ? <Badge variant="warning">{t("lead.company.optedOut")}</Badge> : null}
              </span>
            ) : (
              dash
            )}
          </Row>
          {c.website ? <Row label={t("lead.company.website")}>{c.website}</Row> : null}
          <Row label={t("lead.company.source")}>
            <SourceText source={lead.provenance.source} />
          </Row>
          <Row label={t("lead.company.legalBasis")}>
            {lead.provenance.legalBasis === null ? t("lead.company.unknown") : isLegalBasis(lead.provenance.legalBasis) ? t(`lead.company.basis.${lead.provenance.legalBasis}`) : lead.provenance.legalBasis}
          </Row>
        </dl>
        <p className="mt-2 text-xs text-muted-foreground">{t("lead.company.added", { when: formatDateTime(c.createdAt, locale) })}</p>
      </CardContent>
    </Card>
  );
}

export function JourneyCard({ lead }: { lead: LeadDetail }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const history = useQuery(trpc.leads.history.queryOptions({ leadId: lead.leadId, limit: 20 }));
  // A worker or a webhook may move the stage (a send, a reply) without anyone acting on this page:
  // the lead's own refresh notices the change, and the history follows it.
  const { refetch } = history;
  const updatedAt = lead.updatedAt.getTime();
  useEffect(() => {
    void refetch();
  }, [updatedAt, refetch]);
  const holds = automationHolds(lead);
  const outcome = lead.lastDecision.outcome;
  const result = typeof outcome?.result === "string" ? outcome.result : null;
  const summary = typeof outcome?.summary === "string" ? outcome.summary : null;
  const resultKey = result ? decisionKey(result) : null;
  const manual = manualDecision(outcome);

  return (
    <Card>
      <CardHeader className="pb-2">
        <CardTitle as="h2">{t("lead.journey.title")}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        <section aria-labelledby="journey-holds">
          <h3 id="journey-holds" className="mb-1 font-medium">
            {t("lead.journey.holds")}
          </h3>
          {holds.length === 0 ? (
            <p className="text-muted-foreground">{t("lead.journey.holdsNone")}</p>
          ) : (
            <ul className="list-disc space-y-0.5 pl-5">
              {holds.map((h) => (
                <li key={h}>{h === "state" ? t("lead.journey.hold.state", { state: t(`state.${lead.state.current}`) }) : t(`lead.journey.hold.${h}`)}</li>
              ))}
            </ul>
          )}
        </section>

        <dl>
          <Row label={t("lead.journey.nextAction")}>
            {lead.nextAction.at ? (
              <>
                <span className="font-medium">{formatDateTime(lead.nextAction.at, locale)}</span>
                {lead.nextAction.reason ? <span className="block text-muted-foreground">{lead.nextAction.reason}</span> : null}
              </>
            ) : (
              t("lead.journey.nextActionNone")
            )}
          </Row>
          <Row label={t("lead.journey.phone")}>{lead.phone ? `${lead.phone.label} · ${formatPhone(lead.phone.number)}` : t("lead.journey.phoneNone")}</Row>
        </dl>

        <section aria-labelledby="journey-sequences">
          <h3 id="journey-sequences" className="mb-1 font-medium">
            {t("lead.journey.sequences")}
          </h3>
          {lead.enrollments.length === 0 ? (
            <p className="text-muted-foreground">{t("lead.journey.sequencesNone")}</p>
          ) : (
            <ul className="space-y-2">
              {lead.enrollments.map((e) => (
                <li key={e.id} className="rounded-md border p-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{e.sequenceName}</span>
                    <Badge variant={e.status === "ACTIVE" ? "success" : e.status === "PAUSED" ? "warning" : "secondary"}>{t(`enrollment.${e.status}`)}</Badge>
                    <span className="text-muted-foreground">{t("lead.journey.step", { current: String(e.currentStep), total: String(e.totalSteps) })}</span>
                  </div>
                  {e.nextStep && e.nextStepAt && (e.status === "ACTIVE" || e.status === "PAUSED") ? (
                    <p className="mt-1 text-muted-foreground">
                      {t("lead.journey.nextStep", { number: String(e.nextStep.number), channel: t(`channel.${e.nextStep.channel}`), template: e.nextStep.templateName, when: formatDateTime(e.nextStepAt, locale) })}
                    </p>
                  ) : null}
                  {e.stoppedReason ? <p className="mt-1 text-muted-foreground">{t("lead.journey.stopped", { reason: e.stoppedReason })}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="journey-decision">
          <h3 id="journey-decision" className="mb-1 font-medium">
            {t("lead.journey.lastDecision")}
          </h3>
          {result && lead.lastDecision.at ? (
            <p>
              <span className="text-muted-foreground">{formatDateTime(lead.lastDecision.at, locale)} · </span>
              {manual ? <span className="font-medium">{decisionActor(t, manual, lead.lastDecision.by)} </span> : null}
              {resultKey ? t(resultKey as "decision.SENT") : result}
              {manual?.blocked ? <span className="block">{blockedText(t, manual.blocked)}</span> : null}
              {summary ? <span className="block text-xs text-muted-foreground">{summary}</span> : null}
            </p>
          ) : (
            <p className="text-muted-foreground">{t("lead.journey.lastDecisionNone")}</p>
          )}
        </section>

        <section aria-labelledby="journey-history">
          <h3 id="journey-history" className="mb-1 font-medium">
            {t("lead.journey.history")}
          </h3>
          {history.isPending ? (
            <div className="space-y-2">
              <Skeleton className="h-4 w-2/3" />
              <Skeleton className="h-4 w-1/2" />
            </div>
          ) : history.isError ? (
            <p className="text-destructive">{t("lead.loadError")}</p>
          ) : history.data.items.length === 0 ? (
            <p className="text-muted-foreground">{t("lead.journey.historyEmpty")}</p>
          ) : (
            <ol className="space-y-1.5">
              {history.data.items.map((h) => (
                <li key={h.id}>
                  <span className="font-medium">
                    {h.fromState ? `${t(`state.${h.fromState}`)} → ` : ""}
                    {t(`state.${h.toState}`)}
                  </span>
                  <span className="block text-xs text-muted-foreground">
                    {formatDateTime(h.createdAt, locale)} · {t("lead.journey.by", { who: h.actorName ?? (h.actorType === "USER" ? t("timeline.someone") : h.actorType === "WEBHOOK" ? t("timeline.actor.WEBHOOK", { name: h.actorId ?? "" }) : t(`timeline.actor.${h.actorType}`)) })}
                    {h.reason ? ` · ${h.reason}` : ""}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </CardContent>
    </Card>
  );
}
