import { Link } from "@remix-run/react";
import { UsersIcon } from "~/components/icons";
import { leadsHref } from "~/components/leads/list-params";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatNumber, formatPercent } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import type { DashboardSummary, JourneyState } from "./types";

/** The forward path of a lead, in order; PAUSED and DEAD sit outside it and are listed apart. */
const PIPELINE: readonly JourneyState[] = ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY", "NEGOTIATION", "CONVERTED"];

const BAR_COLOUR: Partial<Record<JourneyState, string>> = {
  WARM_REPLY: "bg-emerald-500",
  NEGOTIATION: "bg-emerald-600",
  CONVERTED: "bg-emerald-700",
  DEAD: "bg-stone-400",
  PAUSED: "bg-amber-400",
};

function FunnelRow({ label, value, share, max, colour, href }: { label: string; value: number; share: number; max: number; colour: string; href: string }) {
  const locale = useLocale();
  return (
    // On a phone the bar moves under its label, so it keeps a usable width. The row opens the leads
    // list filtered to this stage.
    <li>
      <Link
        to={href}
        className="grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1.5 rounded-md px-1 py-0.5 text-sm hover:bg-accent/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:grid-cols-[minmax(8rem,14rem)_1fr_auto]"
        data-testid="funnel-link"
      >
      <span className="truncate">{label}</span>
      <span className="order-last col-span-2 h-2.5 overflow-hidden rounded-full bg-muted sm:order-none sm:col-span-1" aria-hidden="true">
        <span className={cn("block h-full rounded-full transition-[width] duration-500", colour)} style={{ width: `${(value / max) * 100}%` }} />
      </span>
      <span className="text-right tabular-nums sm:w-28">
        <span className="font-medium">{formatNumber(value, locale)}</span>
        <span className="ml-2 text-xs text-muted-foreground">{formatPercent(share, locale)}</span>
      </span>
      </Link>
    </li>
  );
}

export function StateFunnel({ leads }: { leads: DashboardSummary["leads"] }) {
  const t = useT();
  const states = Object.keys(leads.byState) as JourneyState[];
  // A state the server knows and this list does not yet is still shown, with the side states.
  const outside = states.filter((s) => !PIPELINE.includes(s));
  const max = Math.max(1, ...states.map((s) => leads.byState[s]));
  const row = (state: JourneyState) => (
    <FunnelRow
      key={state}
      label={t(`state.${state}`)}
      value={leads.byState[state]}
      share={leads.total > 0 ? leads.byState[state] / leads.total : 0}
      max={max}
      colour={BAR_COLOUR[state] ?? "bg-primary"}
      href={leadsHref({ owner: "all", state })}
    />
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">{t("dashboard.funnel.title")}</CardTitle>
        <CardDescription>
          {t("dashboard.funnel.description")}{" "}
          {leads.total > 0 ? <span className="font-medium text-foreground">{t("dashboard.funnel.leads", { count: leads.total })}</span> : null}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {leads.total === 0 ? (
          <EmptyState icon={UsersIcon} title={t("dashboard.funnel.empty")} description={t("dashboard.funnel.emptyHint")} />
        ) : (
          <div className="grid gap-3">
            <ol className="grid gap-3">{PIPELINE.map(row)}</ol>
            {/* Same scale as above, set apart because these leads have left the forward path. */}
            <ul className="grid gap-3 border-t border-dashed pt-3">{outside.map(row)}</ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
