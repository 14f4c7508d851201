import { useRef, useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import type { Role } from "#server/auth/roles";
import { useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { usePhonesList } from "~/components/dashboard/quota-section";
import { AlertTriangleIcon, PhoneIcon, PlusIcon, RefreshIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { AddPhoneDialog, AdjustQuotaDialog, DisableDialog, ResyncDialog, StatusDialog, useEnablePhone } from "~/components/phones/phone-dialogs";
import { phonePermissions, type PhonesList, type PhoneStatus } from "~/components/phones/phone-model";
import { PhoneSummary, PhoneSummarySkeleton } from "~/components/phones/phone-summary";
import { PhonesTable, type PhoneAction } from "~/components/phones/phones-table";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider } from "~/components/ui/toast";
import { formatDayKey, formatTime } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.phones") }];

/** Which dialog is open; a phone is referenced by id so a refetch while it is open shows fresh data. */
type OpenDialog =
  | { kind: "status"; phoneId: string; target: PhoneStatus | null }
  | { kind: "disable"; phoneId: string }
  | { kind: "adjust"; phoneId: string }
  | { kind: "add" }
  | { kind: "resync" };

export default function PhonesPage() {
  return (
    <ToastProvider>
      <Phones />
    </ToastProvider>
  );
}

/**
 * The WhatsApp phone pool (issue 3: "the phones page shows each phone's usage/limit and status from
 * Redis"; runbook §2–§3). Everyone from SALES_REP up reads it; the actions follow the procedures' tiers,
 * and the server checks them again whatever the page shows.
 */
function Phones() {
  const t = useT();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const permissions = phonePermissions(role);
  const list = usePhonesList();
  const [searchParams] = useSearchParams();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const { enable, pendingPhoneId } = useEnablePhone();
  // Dialogs are opened from buttons that stay mounted; focus goes back to the opener on close.
  const opener = useRef<HTMLElement | null>(null);

  const open = (next: OpenDialog) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDialog(next);
  };
  const close = () => {
    setDialog(null);
    const target = opener.current;
    requestAnimationFrame(() => target?.isConnected && target.focus());
  };
  const onAction = (action: PhoneAction) => {
    if (action.kind === "enable") {
      const phone = list.data?.phones.find((p) => p.id === action.phoneId);
      if (phone) enable(phone);
    } else open(action);
  };

  return (
    <>
      <PageHeader
        title={t("nav.phones")}
        description={
          list.data ? <Subtitle data={list.data} updatedAt={list.dataUpdatedAt} /> : list.isPending ? <Skeleton className="h-4 w-72" /> : null
        }
        actions={
          <>
            {list.data ? (
              <Button variant="ghost" size="sm" onClick={() => void list.refetch()} disabled={list.isFetching} aria-label={t("common.refresh")}>
                <RefreshIcon className={cn(list.isFetching && "animate-spin")} />
                <span className="hidden sm:inline">{t("common.refresh")}</span>
              </Button>
            ) : null}
            {permissions.administer ? (
              <Button variant="outline" size="sm" onClick={() => open({ kind: "resync" })}>
                {t("phones.action.resync")}
              </Button>
            ) : null}
            {permissions.manage ? (
              <Button size="sm" onClick={() => open({ kind: "add" })}>
                <PlusIcon />
                {t("phones.action.add")}
              </Button>
            ) : null}
          </>
        }
      />

      {list.isPending ? (
        <PhonesSkeleton />
      ) : list.isError ? (
        <ErrorState title={t("phones.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
          {!permissions.manage ? (
            <Alert variant="info">
              <AlertDescription>{t("phones.readOnly")}</AlertDescription>
            </Alert>
          ) : null}
          {!list.data.quotaAvailable ? (
            <Alert variant="warning">
              <AlertTriangleIcon />
              <AlertDescription>{t("phones.quotaUnavailable")}</AlertDescription>
            </Alert>
          ) : null}
          {/* An empty pool has nothing to summarise: four zeros would only look like a fault. */}
          {list.data.phones.length > 0 ? <PhoneSummary data={list.data} /> : null}
          {list.data.phones.length === 0 ? (
            <EmptyState
              icon={PhoneIcon}
              headingLevel="h2"
              title={t("phones.empty")}
              description={permissions.manage ? t("phones.emptyHint") : t("phones.emptyHintReadOnly")}
              action={
                permissions.manage ? (
                  <Button size="sm" onClick={() => open({ kind: "add" })}>
                    <PlusIcon />
                    {t("phones.action.add")}
                  </Button>
                ) : null
              }
            />
          ) : (
            <PhonesTable
              phones={list.data.phones}
              role={role}
              now={new Date(list.dataUpdatedAt)}
              highlightId={searchParams.get("phone")}
              pendingPhoneId={pendingPhoneId}
              onAction={onAction}
            />
          )}
        </div>
      )}

      {role ? <Dialogs dialog={dialog} data={list.data ?? null} role={role} onClose={close} /> : null}
    </>
  );
}

function Dialogs({ dialog, data, role, onClose }: { dialog: OpenDialog | null; data: PhonesList | null; role: Role; onClose: () => void }) {
  if (!dialog) return null;
  // Adding and resyncing need no list: they stay usable while the list is loading or failing.
  if (dialog.kind === "add") return <AddPhoneDialog onClose={onClose} />;
  if (dialog.kind === "resync") return <ResyncDialog onClose={onClose} />;
  // A refetch may have removed the phone; then there is nothing left to act on.
  const phone = data?.phones.find((p) => p.id === dialog.phoneId);
  if (!phone) return null;
  switch (dialog.kind) {
    case "status":
      return <StatusDialog phone={phone} role={role} initialTarget={dialog.target} onClose={onClose} />;
    case "disable":
      return <DisableDialog phone={phone} onClose={onClose} />;
    case "adjust":
      return <AdjustQuotaDialog phone={phone} usageDate={data?.usageDate ?? ""} onClose={onClose} />;
  }
}

function Subtitle({ data, updatedAt }: { data: PhonesList; updatedAt: number }) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      {t("phones.subtitle", { date: formatDayKey(data.usageDate, locale) })}
      <span className="mx-2" aria-hidden="true">
        ·
      </span>
      {t("common.updated", { time: formatTime(updatedAt, locale) })}
    </>
  );
}

function PhonesSkeleton() {
  const t = useT();
  return (
    <div className="grid gap-6" aria-busy="true">
      <p role="status" className="sr-only">
        {t("common.loading")}
      </p>
      <PhoneSummarySkeleton />
      <Card className="p-3">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="my-3 h-9 w-full" />
        ))}
      </Card>
    </div>
  );
}
