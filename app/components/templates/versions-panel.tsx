/**
 * A/B versions side by side and the history of versions: each version's weight, whether it is live,
 * its results (sent, delivered, opened, replied, positive replies and the reply rate, from the daily
 * template statistics) and a significance hint when one is ahead. Editing a version's text makes a new
 * version (the old one keeps its results), so nothing here rewrites what a lead received.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatDateTime, formatNumber, formatPercent } from "~/lib/format";
import { useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";

type Template = RouterOutputs["templates"]["get"];
type Hint = RouterOutputs["templates"]["abResults"]["hint"];

export function VersionsPanel({ template, editingVersionId, canManage, onEdit }: { template: Template; editingVersionId: string | null; canManage: boolean; onEdit: (versionId: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const results = useQuery(trpc.templates.abResults.queryOptions({ templateId: template.id }));
  const setVersion = useMutation(trpc.templates.setVersion.mutationOptions());
  const [weights, setWeights] = useState<Record<string, string>>({});
  const byId = new Map((results.data?.versions ?? []).map((v) => [v.versionId, v]));
  const number = new Map(template.versions.map((v) => [v.id, v.versionNumber]));
  const activeWeight = template.versions.filter((v) => v.isActive).reduce((sum, v) => sum + v.weight, 0);

  const apply = async (versionId: string, change: { weight?: number; isActive?: boolean }) => {
    try {
      await setVersion.mutateAsync({ versionId, ...change });
      await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.templates.get.queryKey({ templateId: template.id }) }), queryClient.invalidateQueries({ queryKey: trpc.templates.abResults.queryKey({ templateId: template.id }) })]);
      setWeights((w) => ({ ...w, [versionId]: "" }));
      const n = number.get(versionId) ?? 0;
      toast({ title: change.isActive === undefined ? t("templates.versions.weightSaved", { n }) : change.isActive ? t("templates.versions.activated", { n }) : t("templates.versions.deactivated", { n }) });
    } catch (error) {
      toast({ title: t(errorMessageKey(error)), variant: "error" });
    }
  };

  const versions = [...template.versions].sort((a, b) => Number(b.isActive) - Number(a.isActive) || b.versionNumber - a.versionNumber);
  return (
    <Card aria-labelledby="versions-heading">
      <CardHeader>
        <CardTitle as="h2" id="versions-heading">
          {t("templates.versions.title")}
        </CardTitle>
        <CardDescription>{t("templates.versions.description")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {results.isPending ? <Skeleton className="h-5 w-2/3" /> : results.data ? <HintText hint={results.data.hint} number={number} t={t} locale={locale} /> : null}
        <Table>
          <TableCaption>{t("templates.versions.caption")}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>{t("templates.versions.version")}</TableHead>
              <TableHead>{t("templates.versions.weight")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.sent")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.delivered")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.opened")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.replied")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.positive")}</TableHead>
              <TableHead className="text-right">{t("analytics.col.replyRate")}</TableHead>
              <TableHead>{t("templates.versions.actions")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {versions.map((v) => {
              const r = byId.get(v.id);
              const share = v.isActive && activeWeight > 0 ? v.weight / activeWeight : 0;
              return (
                <TableRow key={v.id} data-testid="version-row" className={cn(editingVersionId === v.id && "bg-primary/5")}>
                  <TableCell className="whitespace-nowrap">
                    <div className="flex items-center gap-2">
                      <span className="font-medium">{t("templates.versions.vN", { n: v.versionNumber })}</span>
                      {v.isActive ? <Badge variant="success">{t("templates.versions.live")}</Badge> : <Badge variant="outline">{t("templates.versions.off")}</Badge>}
                    </div>
                    <div className="text-xs text-muted-foreground">{formatDateTime(v.createdAt, locale)}</div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {canManage ? (
                      <form
                        className="flex items-center gap-1"
                        onSubmit={(e) => {
                          e.preventDefault();
                          const value = Number(weights[v.id]);
                          if (weights[v.id] && Number.isInteger(value) && value >= 0 && value <= 10_000) void apply(v.id, { weight: value });
                        }}
                      >
                        <Input
                          type="number"
                          min={0}
                          max={10000}
                          className="h-8 w-20"
                          aria-label={t("templates.versions.weightFor", { n: v.versionNumber })}
                          value={weights[v.id] || String(v.weight)}
                          onChange={(e) => setWeights((w) => ({ ...w, [v.id]: e.target.value }))}
                        />
                        {weights[v.id] && weights[v.id] !== String(v.weight) ? (
                          <Button type="submit" size="sm" variant="outline" disabled={setVersion.isPending}>
                            {t("templates.versions.saveWeight")}
                          </Button>
                        ) : null}
                      </form>
                    ) : (
                      <span className="tabular-nums">{formatNumber(v.weight, locale)}</span>
                    )}
                    {v.isActive ? <div className="text-xs text-muted-foreground">{t("templates.versions.share", { percent: formatPercent(share, locale) })}</div> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(r?.sent ?? 0, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(r?.delivered ?? 0, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(r?.opened ?? 0, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(r?.replied ?? 0, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(r?.positiveReplies ?? 0, locale)}</TableCell>
                  <TableCell className="text-right tabular-nums">{r && r.sent > 0 ? formatPercent(r.replied / r.sent, locale) : t("common.dash")}</TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      <Button variant="ghost" size="sm" onClick={() => onEdit(v.id)} aria-label={t("templates.versions.editFor", { n: v.versionNumber })}>
                        <Pencil />
                        {canManage ? t("templates.versions.edit") : t("templates.versions.show")}
                      </Button>
                      {canManage ? (
                        <Button variant="ghost" size="sm" disabled={setVersion.isPending} onClick={() => void apply(v.id, { isActive: !v.isActive })}>
                          {v.isActive ? t("templates.versions.deactivate") : t("templates.versions.activate")}
                        </Button>
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        {setVersion.error ? (
          <Alert variant="destructive">
            <AlertDescription>{t(errorMessageKey(setVersion.error))}</AlertDescription>
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}

function HintText({ hint, number, t, locale }: { hint: Hint; number: Map<string, number>; t: Translate; locale: "ro" | "en" }) {
  let text: string;
  let tone: "info" | "good" | "muted" = "muted";
  if (hint.kind === "SINGLE") text = t("templates.hint.single");
  else if (hint.kind === "NOT_ENOUGH_DATA") text = t("templates.hint.notEnough", { minSent: formatNumber(hint.minSent, locale), minEvents: formatNumber(hint.minEvents, locale) });
  else if (hint.kind === "NO_CLEAR_WINNER") {
    text = t("templates.hint.noWinner", { a: number.get(hint.leaderId) ?? "?", b: number.get(hint.runnerUpId) ?? "?" });
    tone = "info";
  } else {
    text = t("templates.hint.ahead", {
      a: number.get(hint.leaderId) ?? "?",
      b: number.get(hint.runnerUpId) ?? "?",
      rateA: formatPercent(hint.leaderRate, locale),
      rateB: formatPercent(hint.runnerUpRate, locale),
      p: hint.pValue < 0.001 ? `< ${formatNumber(0.001, locale, 3)}` : formatNumber(hint.pValue, locale, 3),
    });
    tone = "good";
  }
  return (
    <p data-testid="significance-hint" className={cn("rounded-md px-3 py-2 text-sm", tone === "good" ? "bg-emerald-50 text-emerald-900" : tone === "info" ? "bg-primary/5" : "bg-muted text-muted-foreground")}>
      {text}
    </p>
  );
}
