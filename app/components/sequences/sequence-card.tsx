import { Link } from "@remix-run/react";
import { Archive, ArchiveRestore, Pause, Pencil, Play, Trash2, UserPlus } from "lucide-react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "~/components/ui/card";
import { formatNumber, formatPercent } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";

export type SequenceCardData = RouterOutputs["sequences"]["overview"][number];
export type SequenceAction = "pause" | "resume" | "archive" | "restore" | "delete";

/** The sequence page's enroll panel (one lead at a time; many leads are enrolled from a saved filter). */
export function enrollLink(sequenceId: string): string {
  return `/outreach/sequences/${sequenceId}#enroll`;
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: "good" | "muted" }) {
  const locale = useLocale();
  return (
    <div className="min-w-0">
      <dt className="truncate text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("text-lg font-semibold tabular-nums", tone === "good" && "text-emerald-700", tone === "muted" && "text-muted-foreground")}>
        {formatNumber(value, locale)}
      </dd>
    </div>
  );
}

/**
 * One sequence: its state, how many leads it holds and how they fared, and each step's reply rate.
 * Managers get the actions; reps read.
 */
export function SequenceCard({
  sequence,
  canManage,
  onAction,
  onEnroll,
}: {
  sequence: SequenceCardData;
  canManage: boolean;
  onAction: (action: SequenceAction) => void;
  /** Enroll the leads of a saved filter (enroll-from-view-dialog.tsx). */
  onEnroll: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const f = sequence.figures;
  const archived = sequence.archivedAt !== null;
  const paused = !archived && !sequence.isActive;
  const stepFigure = new Map(sequence.stepFigures.map((s) => [s.stepNumber, s]));
  const stepNumbers = Array.from({ length: Math.max(sequence.stepCount, ...sequence.stepFigures.map((s) => s.stepNumber)) }, (_, i) => i + 1);

  return (
    <Card className="flex flex-col" data-testid="sequence-card" aria-labelledby={`seq-${sequence.id}`}>
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <CardTitle as="h2" id={`seq-${sequence.id}`} className="min-w-0 break-words">
            {sequence.name}
          </CardTitle>
          <div className="flex flex-wrap gap-1">
            {sequence.isDefault ? <Badge variant="secondary">{t("sequences.badge.default")}</Badge> : null}
            {archived ? (
              <Badge variant="outline">{t("sequences.badge.archived")}</Badge>
            ) : paused ? (
              <Badge variant="warning">{t("sequences.badge.paused")}</Badge>
            ) : (
              <Badge variant="success">{t("sequences.badge.active")}</Badge>
            )}
          </div>
        </div>
        <CardDescription>
          {t("sequences.card.steps", { count: sequence.stepCount })}
          {sequence.description ? ` · ${sequence.description}` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid flex-1 gap-4">
        <dl className="grid grid-cols-3 gap-3 sm:grid-cols-5" data-testid="sequence-figures">
          <Figure label={t("sequences.figure.enrolled")} value={f.enrolled} />
          <Figure label={t("sequences.figure.active")} value={f.active} />
          <Figure label={t("sequences.figure.replied")} value={f.replied} tone="good" />
          <Figure label={t("sequences.figure.converted")} value={f.converted} tone="good" />
          <Figure label={t("sequences.figure.stopped")} value={f.stopped} tone="muted" />
        </dl>
        {stepNumbers.length > 0 ? (
          <table className="w-full text-sm">
            <caption className="sr-only">{t("sequences.card.stepTableCaption", { name: sequence.name })}</caption>
            <thead>
              <tr className="text-left text-xs text-muted-foreground">
                <th scope="col" className="py-1 pr-2 font-medium">
                  {t("sequences.card.step")}
                </th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">
                  {t("sequences.card.sent")}
                </th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">
                  {t("sequences.card.replies")}
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  {t("sequences.card.replyRate")}
                </th>
              </tr>
            </thead>
            <tbody>
              {stepNumbers.map((n) => {
                const s = stepFigure.get(n);
                return (
                  <tr key={n} className="border-t">
                    <th scope="row" className="py-1.5 pr-2 text-left font-normal">
                      {t("sequences.card.stepN", { n })}
                    </th>
                    <td className="py-1.5 pr-2 text-right tabular-nums">{formatNumber(s?.sent ?? 0, locale)}</td>
                    <td className="py-1.5 pr-2 text-right tabular-nums">{formatNumber(s?.replied ?? 0, locale)}</td>
                    <td className="py-1.5 text-right tabular-nums">{s?.replyRate == null ? t("common.dash") : formatPercent(s.replyRate, locale)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </CardContent>
      <CardFooter className="flex flex-wrap gap-2">
        <Button asChild variant="outline" size="sm">
          <Link to={`/outreach/sequences/${sequence.id}`} aria-label={t("sequences.action.forSequence", { action: canManage && !archived ? t("sequences.action.edit") : t("sequences.action.open"), name: sequence.name })}>
            <Pencil />
            {canManage && !archived ? t("sequences.action.edit") : t("sequences.action.open")}
          </Link>
        </Button>
        {canManage && !archived ? (
          <>
            {sequence.isActive ? (
              <Button variant="outline" size="sm" onClick={onEnroll} aria-label={t("sequences.action.forSequence", { action: t("sequences.action.enroll"), name: sequence.name })}>
                <UserPlus />
                {t("sequences.action.enroll")}
              </Button>
            ) : null}
            <Button
              variant="outline"
              size="sm"
              onClick={() => onAction(paused ? "resume" : "pause")}
              aria-label={t("sequences.action.forSequence", { action: paused ? t("sequences.action.resume") : t("sequences.action.pause"), name: sequence.name })}
            >
              {paused ? <Play /> : <Pause />}
              {paused ? t("sequences.action.resume") : t("sequences.action.pause")}
            </Button>
            {f.enrolled > 0 ? (
              <Button variant="ghost" size="sm" onClick={() => onAction("archive")} aria-label={t("sequences.action.forSequence", { action: t("sequences.action.archive"), name: sequence.name })}>
                <Archive />
                {t("sequences.action.archive")}
              </Button>
            ) : (
              <Button variant="ghost" size="sm" onClick={() => onAction("delete")} aria-label={t("sequences.action.forSequence", { action: t("sequences.action.delete"), name: sequence.name })}>
                <Trash2 />
                {t("sequences.action.delete")}
              </Button>
            )}
          </>
        ) : null}
        {canManage && archived ? (
          <Button variant="outline" size="sm" onClick={() => onAction("restore")} aria-label={t("sequences.action.forSequence", { action: t("sequences.action.restore"), name: sequence.name })}>
            <ArchiveRestore />
            {t("sequences.action.restore")}
          </Button>
        ) : null}
      </CardFooter>
    </Card>
  );
}
