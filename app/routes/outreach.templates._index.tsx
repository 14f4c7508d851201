import { useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { FileText, Plus } from "lucide-react";
import { PageHeader } from "~/components/page-header";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatDateTime, formatNumber, formatPercent } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.templates") }];

const CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"] as const;

export default function TemplatesPage() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const canManage = role === "MANAGER" || role === "ADMIN";
  const [channel, setChannel] = useState<(typeof CHANNELS)[number] | "">("");
  const [includeInactive, setIncludeInactive] = useState(false);
  const list = useQuery(trpc.templates.list.queryOptions({ ...(channel ? { channel } : {}), includeInactive }));

  return (
    <>
      <PageHeader
        title={t("nav.templates")}
        description={t("templates.subtitle")}
        actions={
          canManage ? (
            <Button asChild size="sm">
              <Link to="/outreach/templates/new">
                <Plus />
                {t("templates.action.new")}
              </Link>
            </Button>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <label className="grid gap-1 text-sm">
          <span className="font-medium">{t("templates.filter.channel")}</span>
          <Select className="w-56" value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)}>
            <option value="">{t("templates.filter.allChannels")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-muted-foreground">
          <input type="checkbox" className="size-4 accent-primary" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          {t("templates.filter.inactive")}
        </label>
      </div>
      {list.isPending ? (
        <Card className="p-3" aria-busy="true">
          <p role="status" className="sr-only">
            {t("common.loading")}
          </p>
          {[0, 1, 2, 3, 4].map((i) => (
            <Skeleton key={i} className="my-3 h-9 w-full" />
          ))}
        </Card>
      ) : list.isError ? (
        <ErrorState title={t("templates.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.length === 0 ? (
        <EmptyState icon={FileText} headingLevel="h2" title={t("templates.empty")} description={canManage ? t("templates.emptyHint") : t("templates.emptyHintReadOnly")} />
      ) : (
        <Card>
          <Table>
            <TableCaption>{t("templates.table.caption")}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>{t("templates.table.name")}</TableHead>
                <TableHead>{t("templates.table.channel")}</TableHead>
                <TableHead className="text-right">{t("templates.table.versions")}</TableHead>
                <TableHead className="text-right">{t("templates.table.sent")}</TableHead>
                <TableHead className="text-right">{t("templates.table.replyRate")}</TableHead>
                <TableHead>{t("templates.table.updated")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.map((tpl) => (
                <TableRow key={tpl.id} data-testid="template-row">
                  <TableCell>
                    <Link to={`/outreach/templates/${tpl.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                      {tpl.name}
                    </Link>
                    {!tpl.isActive ? (
                      <Badge variant="outline" className="ml-2">
                        {t("templates.badge.inactive")}
                      </Badge>
                    ) : null}
                    {tpl.subject ? <div className="max-w-md truncate text-xs text-muted-foreground">{tpl.subject}</div> : null}
                  </TableCell>
                  <TableCell>{t(`channel.${tpl.channel}`)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(tpl.activeVersions, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(tpl.totals.sent, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{tpl.totals.sent > 0 ? formatPercent(tpl.totals.replied / tpl.totals.sent, locale) : t("common.dash")}</TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{formatDateTime(tpl.updatedAt, locale)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}
