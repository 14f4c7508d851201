import { useEffect, useRef, type Ref } from "react";
import type { Role } from "#server/auth/roles";
import { QUOTA_BAR_CLASS, QuotaLegend } from "~/components/dashboard/quota-usage-grid";
import { quotaTone } from "~/components/dashboard/quota-tone";
import { AlertTriangleIcon, PauseIcon, PlayIcon, PowerIcon, SlidersIcon } from "~/components/icons";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Progress } from "~/components/ui/progress";
import { Tooltip } from "~/components/ui/tooltip";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatDateTime, formatNumber, formatPhone, formatRelativeTime } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import {
  attentionReasons,
  isLowReputation,
  phonePermissions,
  quickActionLabelKey,
  quickStatusAction,
  statusBadgeVariant,
  statusTargets,
  type PhoneItem,
  type PhoneStatus,
} from "./phone-model";

export type PhoneAction =
  | { kind: "status"; phoneId: string; target: PhoneStatus | null }
  | { kind: "disable"; phoneId: string }
  | { kind: "enable"; phoneId: string }
  | { kind: "adjust"; phoneId: string };

interface PhonesTableProps {
  phones: readonly PhoneItem[];
  role: Role | null;
  /** When the list was fetched: the reference for "acum 5 minute", so every row ages together. */
  now: Date;
  /** The phone the dashboard grid linked to (`?phone=`): scrolled to, marked and focused once. */
  highlightId: string | null;
  /** The phone whose one-click enable is in flight. */
  pendingPhoneId: string | null;
  onAction: (action: PhoneAction) => void;
}

/**
 * Every phone of the pool with today's usage. Reps read it; managers get the lifecycle actions the
 * status table allows from each phone's current status; admins also the manual quota adjustment.
 */
export function PhonesTable({ phones, role, now, highlightId, pendingPhoneId, onAction }: PhonesTableProps) {
  const t = useT();
  const permissions = phonePermissions(role);
  const highlighted = useRef<HTMLTableCellElement>(null);

  useEffect(() => {
    // Arriving from the dashboard tile: bring that phone into view and put focus on its row header,
    // so keyboard and screen-reader users land where sighted users look.
    highlighted.current?.scrollIntoView({ block: "center" });
    highlighted.current?.focus({ preventScroll: true });
  }, [highlightId]);

  return (
    // minmax(0, 1fr): the table scrolls inside its card on narrow screens instead of widening the page.
    <div className="grid grid-cols-[minmax(0,1fr)] gap-3">
      <div className="rounded-lg border bg-card shadow-sm">
        <Table>
          <TableCaption className="mb-3 px-3 text-left">{t("phones.table.caption")}</TableCaption>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>{t("phones.table.phone")}</TableHead>
              <TableHead>{t("phones.table.status")}</TableHead>
              <TableHead className="min-w-36">{t("phones.table.quota")}</TableHead>
              <TableHead>{t("phones.table.health")}</TableHead>
              {permissions.manage ? <TableHead>{t("phones.table.actions")}</TableHead> : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {phones.map((phone) => (
              <PhoneRow
                key={phone.id}
                phone={phone}
                role={role}
                now={now}
                highlighted={phone.id === highlightId}
                headerRef={phone.id === highlightId ? highlighted : undefined}
                enablePending={pendingPhoneId === phone.id}
                onAction={onAction}
              />
            ))}
          </TableBody>
        </Table>
      </div>
      <QuotaLegend />
    </div>
  );
}

function PhoneRow({
  phone,
  role,
  now,
  highlighted,
  headerRef,
  enablePending,
  onAction,
}: {
  phone: PhoneItem;
  role: Role | null;
  now: Date;
  highlighted: boolean;
  headerRef: Ref<HTMLTableCellElement> | undefined;
  enablePending: boolean;
  onAction: (action: PhoneAction) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const permissions = phonePermissions(role);
  const tone = quotaTone(phone);
  const status = t(`phoneStatus.${phone.status}`);
  const usage =
    phone.used === null ? t("dashboard.quota.usageUnknown") : t("dashboard.quota.usage", { used: phone.used, limit: phone.limit });
  const stale = attentionReasons(phone).includes("MIRROR_STALE");
  const quick = quickStatusAction(phone.status, role);
  const canChangeStatus = statusTargets(phone.status, role).length > 0;
  const forPhone = (action: string) => t("phones.action.forPhone", { action, label: phone.label });

  return (
    <TableRow
      data-testid="phone-row"
      data-phone-id={phone.id}
      className={cn(highlighted && "bg-primary/5 hover:bg-primary/10", !phone.isEnabled && "text-muted-foreground")}
    >
      <th
        scope="row"
        ref={headerRef}
        tabIndex={highlighted ? -1 : undefined}
        className={cn(
          "px-3 py-2.5 text-left align-middle font-normal focus:outline-none",
          highlighted && "shadow-[inset_4px_0_0_0_hsl(var(--primary))]",
        )}
      >
        <span className="block font-medium text-foreground">{phone.label}</span>
        <span className="block whitespace-nowrap text-xs tabular-nums text-muted-foreground">{formatPhone(phone.phoneNumber)}</span>
      </th>
      <TableCell className="min-w-40 max-w-64">
        <div className="flex flex-wrap items-center gap-1.5">
          <Badge variant={statusBadgeVariant(phone.status)} data-testid="phone-status">
            {status}
          </Badge>
          {!phone.isEnabled ? <Badge variant="outline">{t("phoneStatus.disabled")}</Badge> : null}
        </div>
        {phone.status !== "ACTIVE" && phone.pausedReason ? (
          <p className="mt-1 text-xs text-muted-foreground [overflow-wrap:anywhere]">{t("phones.table.reason", { reason: phone.pausedReason })}</p>
        ) : null}
        {phone.lastError ? (
          <p className="mt-1 text-xs text-destructive [overflow-wrap:anywhere]">{t("phones.table.lastError", { error: phone.lastError })}</p>
        ) : null}
        {stale ? (
          <p className="mt-1 flex items-start gap-1 text-xs text-amber-800">
            <AlertTriangleIcon className="mt-0.5 size-3 shrink-0" />
            {t("phones.table.mirrorStale")}
          </p>
        ) : null}
      </TableCell>
      <TableCell>
        <span className="text-sm tabular-nums" data-testid="phone-usage">
          {phone.used === null ? t("common.dash") : formatNumber(phone.used, locale)} / {formatNumber(phone.limit, locale)}
        </span>
        <Progress
          className="mt-1.5 h-1.5"
          value={phone.used ?? 0}
          max={Math.max(phone.limit, 1)}
          indicatorClassName={QUOTA_BAR_CLASS[tone]}
          label={phone.label}
          valueText={`${usage}, ${phone.isEnabled ? status : t("phoneStatus.disabled")}`}
        />
      </TableCell>
      <TableCell className="whitespace-nowrap text-sm">
        <span className={cn("block tabular-nums", isLowReputation(phone.reputationScore) && "font-medium text-destructive")}>
          {t("phones.table.reputation", { score: phone.reputationScore })}
          {isLowReputation(phone.reputationScore) ? ` · ${t("phones.table.reputationLow")}` : null}
        </span>
        <span className="block text-xs text-muted-foreground">
          {phone.lastHealthCheckAt ? (
            <time dateTime={phone.lastHealthCheckAt.toISOString()} title={formatDateTime(phone.lastHealthCheckAt, locale)}>
              {t("phones.table.checked", { when: formatRelativeTime(phone.lastHealthCheckAt, now, locale) })}
            </time>
          ) : (
            t("phones.table.neverChecked")
          )}
        </span>
      </TableCell>
      {permissions.manage ? (
        <TableCell>
          <div className="flex items-center gap-1">
            {quick ? (
              <Button
                size="sm"
                variant="outline"
                className="min-w-[8.75rem] justify-start"
                aria-label={forPhone(t(quickActionLabelKey(phone.status, quick)))}
                onClick={() => onAction({ kind: "status", phoneId: phone.id, target: quick })}
              >
                {quick === "PAUSED" ? <PauseIcon /> : <PlayIcon />}
                {t(quickActionLabelKey(phone.status, quick))}
              </Button>
            ) : (
              // Keeps the columns of buttons aligned when a phone has no one-click move (banned).
              <span className="min-w-[8.75rem]" aria-hidden="true" />
            )}
            {canChangeStatus ? (
              <Button size="sm" variant="ghost" aria-label={forPhone(t("phones.action.changeStatus"))} onClick={() => onAction({ kind: "status", phoneId: phone.id, target: null })}>
                {t("phones.action.changeStatus")}
              </Button>
            ) : null}
            {/* Rarer actions as icon buttons: the name is the aria-label, the tooltip shows it on hover and focus. */}
            {phone.isEnabled ? (
              <Tooltip content={t("phones.action.disable")} align="end">
                <Button size="icon" variant="ghost" className="size-8" aria-label={forPhone(t("phones.action.disable"))} onClick={() => onAction({ kind: "disable", phoneId: phone.id })}>
                  <PowerIcon />
                </Button>
              </Tooltip>
            ) : (
              <Button
                size="sm"
                variant="outline"
                aria-label={forPhone(t("phones.action.enable"))}
                disabled={enablePending}
                onClick={() => onAction({ kind: "enable", phoneId: phone.id })}
              >
                <PowerIcon />
                {enablePending ? t("common.saving") : t("phones.action.enable")}
              </Button>
            )}
            {permissions.administer ? (
              <Tooltip content={t("phones.action.adjust")} align="end">
                <Button size="icon" variant="ghost" className="size-8" aria-label={forPhone(t("phones.action.adjust"))} onClick={() => onAction({ kind: "adjust", phoneId: phone.id })}>
                  <SlidersIcon />
                </Button>
              </Tooltip>
            ) : null}
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
