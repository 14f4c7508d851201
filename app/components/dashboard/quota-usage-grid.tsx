import { Link } from "@remix-run/react";
import { AlertTriangleIcon, PhoneIcon } from "~/components/icons";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Progress } from "~/components/ui/progress";
import { Tooltip } from "~/components/ui/tooltip";
import { formatDateTime, formatNumber, formatPhone } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import { poolUsage } from "~/components/phones/phone-model";
import { quotaTone, type PhoneStatus, type QuotaTone } from "./quota-tone";

/** The slice of `phones.list` the grid needs; dates may arrive as ISO strings over JSON. */
export interface QuotaGridData {
  quotaAvailable: boolean;
  window: { open: boolean; nextOpening: Date | string };
  phones: ReadonlyArray<{
    id: string;
    label: string;
    phoneNumber: string;
    status: PhoneStatus;
    isEnabled: boolean;
    used: number | null;
    limit: number;
  }>;
}

/** Bar colour per tone; the phones page uses the same classes so a phone looks the same on both pages. */
export const QUOTA_BAR_CLASS: Record<QuotaTone, string> = {
  ok: "bg-emerald-600",
  near: "bg-amber-500",
  full: "bg-destructive",
  down: "bg-destructive",
  idle: "bg-stone-400",
  unknown: "bg-stone-300",
};

const TILE: Record<QuotaTone, string> = {
  ok: "",
  near: "border-amber-300",
  full: "border-destructive/50",
  // Offline and banned phones look different in shape as well as colour (dashed, tinted), so the
  // state does not depend on telling red from amber.
  down: "border-dashed border-destructive/60 bg-destructive/5",
  idle: "bg-muted/60",
  unknown: "",
};

/** What the bar colours mean; shown under the grid and under the phones table. */
export function QuotaLegend() {
  const t = useT();
  const items: Array<[string, string]> = [
    [QUOTA_BAR_CLASS.ok, t("dashboard.quota.legendOk")],
    [QUOTA_BAR_CLASS.near, t("dashboard.quota.legendNear")],
    [QUOTA_BAR_CLASS.full, t("dashboard.quota.legendFull")],
    [QUOTA_BAR_CLASS.idle, t("dashboard.quota.legendIdle")],
  ];
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
      {items.map(([colour, label]) => (
        <li key={label} className="flex items-center gap-1.5">
          <span className={cn("size-2.5 rounded-sm", colour)} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}

/**
 * Today's new-contact quota of every WhatsApp number (seeds F2.15.1.T002): ten tiles a row on a wide
 * screen (the 20-phone pool in 10 × 2), fewer on smaller ones. Each tile links to the phones page.
 */
export function QuotaUsageGrid({ data }: { data: QuotaGridData }) {
  const t = useT();
  const locale = useLocale();
  // The phones page's definition (poolUsage): both pages show the same figures.
  const { used, limit, remaining } = poolUsage(data);

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">{t("dashboard.quota.title")}</CardTitle>
        <CardDescription>{t("dashboard.quota.description")}</CardDescription>
        <div className="flex flex-wrap items-center justify-between gap-2 pt-1">
          <Badge variant={data.window.open ? "success" : "secondary"}>
            {data.window.open
              ? t("dashboard.quota.windowOpen")
              : t("dashboard.quota.windowClosed", { when: formatDateTime(data.window.nextOpening, locale) })}
          </Badge>
          {used !== null && remaining !== null && data.phones.length > 0 ? (
            <span className="text-sm font-medium tabular-nums">
              {t("dashboard.quota.total", { used: formatNumber(used, locale), limit: formatNumber(limit, locale) })}
              <span className="block text-xs font-normal text-muted-foreground">{t("phones.summary.usedHint", { remaining: formatNumber(remaining, locale) })}</span>
            </span>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4">
        {!data.quotaAvailable ? (
          <Alert variant="warning">
            <AlertTriangleIcon />
            <AlertDescription>{t("dashboard.quota.unavailable")}</AlertDescription>
          </Alert>
        ) : null}
        {data.phones.length === 0 ? (
          <EmptyState icon={PhoneIcon} title={t("dashboard.quota.empty")} description={t("dashboard.quota.emptyHint")} />
        ) : (
          <>
            <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-5 xl:grid-cols-10">
              {data.phones.map((phone, index) => {
                const tone = quotaTone(phone);
                const status = phone.isEnabled ? t(`phoneStatus.${phone.status}`) : t("phoneStatus.disabled");
                const usage =
                  phone.used === null
                    ? t("dashboard.quota.usageUnknown")
                    : t("dashboard.quota.usage", { used: phone.used, limit: phone.limit });
                return (
                  <li key={phone.id} className="flex min-w-0">
                    <Tooltip
                      wrapperClassName="flex w-full min-w-0"
                      // Edge columns of the widest (10-column) layout anchor their bubble inwards.
                      align={index % 10 <= 1 ? "start" : index % 10 >= 8 ? "end" : "center"}
                      content={
                        <>
                          <span className="block font-medium">{formatPhone(phone.phoneNumber)}</span>
                          <span className="block">{usage}</span>
                          <span className="block">{status}</span>
                        </>
                      }
                    >
                      <Link
                        to={`/outreach/phones?phone=${encodeURIComponent(phone.id)}`}
                        aria-label={t("dashboard.quota.details", { label: phone.label })}
                        className={cn(
                          "relative block h-full w-full min-w-0 rounded-md border bg-card p-2 transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                          TILE[tone],
                        )}
                      >
                        {/* Labels wrap rather than truncate: ten tiles a row leave little width. */}
                        <span className="block pr-3 text-xs font-semibold leading-tight [overflow-wrap:anywhere]">{phone.label}</span>
                        {tone === "down" ? <AlertTriangleIcon className="absolute right-1.5 top-1.5 size-3.5 text-destructive" /> : null}
                        <span className="mt-1 block text-[11px] tabular-nums text-muted-foreground">
                          {phone.used === null ? "—" : formatNumber(phone.used, locale)} / {formatNumber(phone.limit, locale)}
                        </span>
                        <Progress
                          className="mt-1.5 h-1.5"
                          value={phone.used ?? 0}
                          max={Math.max(phone.limit, 1)}
                          indicatorClassName={QUOTA_BAR_CLASS[tone]}
                          label={phone.label}
                          valueText={`${usage}, ${status}`}
                        />
                        {phone.status !== "ACTIVE" || !phone.isEnabled ? (
                          <span className={cn("mt-1 block text-[11px] leading-tight", tone === "down" ? "text-destructive" : "text-muted-foreground")}>
                            {status}
                          </span>
                        ) : null}
                      </Link>
                    </Tooltip>
                  </li>
                );
              })}
            </ul>
            <QuotaLegend />
          </>
        )}
      </CardContent>
    </Card>
  );
}
