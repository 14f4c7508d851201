import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { Overview } from "./health-cards";

/** Depth and throughput per pg-boss queue (this tenant's jobs). */
export function QueuesTable({ queues }: { queues: Overview["health"]["queues"] }) {
  const t = useT();
  const locale = useLocale();
  const n = (v: number) => formatNumber(v, locale);
  if (queues.length === 0) return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t("ops.queues.empty")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border bg-card">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("ops.queues.queue")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.queued")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.deferred")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.active")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.failed24h")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.doneHour")}</TableHead>
            <TableHead className="text-right">{t("ops.queues.oldest")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {queues.map((q) => (
            <TableRow key={q.queue}>
              <TableCell className="font-mono text-xs">{q.queue}</TableCell>
              <TableCell className="text-right tabular-nums">{n(q.queued)}</TableCell>
              <TableCell className="text-right tabular-nums">{n(q.deferred)}</TableCell>
              <TableCell className="text-right tabular-nums">{n(q.active)}</TableCell>
              <TableCell className={q.failed24h > 0 ? "text-right font-medium tabular-nums text-destructive" : "text-right tabular-nums"}>{n(q.failed24h)}</TableCell>
              <TableCell className="text-right tabular-nums">{n(q.completedLastHour)}</TableCell>
              <TableCell className="text-right tabular-nums">{q.oldestWaitingSeconds === null ? t("common.dash") : t("ops.queues.minutes", { minutes: n(Math.round(q.oldestWaitingSeconds / 60)) })}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
