import { AlertTriangleIcon, ClockIcon, PhoneIcon, UsersIcon } from "~/components/icons";
import { KpiCard, KpiCardSkeleton } from "~/components/dashboard/kpi-card";
import { formatDateTime, formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { phonesNeedingAttention, summarizePool, type PhonesList } from "./phone-model";

/** How many phones the attention card names before "and N more". */
const NAMED = 3;

/** The four numbers an operator checks first (runbook §1.1 morning check): who sends, how much is left, what is broken, whether the window is open. */
export function PhoneSummary({ data }: { data: PhonesList }) {
  const t = useT();
  const locale = useLocale();
  const summary = summarizePool(data);
  const { window } = data;
  const attention = phonesNeedingAttention(data.phones);
  // Name the phones, not the categories: the operator's next step is to find that phone (runbook §2).
  const named = attention
    .slice(0, NAMED)
    .map(({ phone, reason }) => {
      const what = reason === "MIRROR_STALE" ? t("phones.attention.MIRROR_STALE") : t(`phoneStatus.${reason}`).toLocaleLowerCase(locale);
      return `${phone.label} (${what})`;
    })
    .join(", ");
  const closedReason =
    window.reason === "HOLIDAY" && window.holiday
      ? t("phones.window.holidayNamed", { holiday: window.holiday })
      : window.reason
        ? t(`phones.window.${window.reason}`)
        : null;

  return (
    <section aria-label={t("phones.summary.label")} className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <KpiCard
        label={t("phones.summary.active")}
        value={t("phones.summary.activeValue", { active: summary.sending, total: summary.total })}
        hint={t("phones.summary.activeHint")}
        icon={PhoneIcon}
      />
      <KpiCard
        label={t("phones.summary.used")}
        value={
          summary.used === null
            ? t("common.dash")
            : t("phones.summary.usedValue", { used: formatNumber(summary.used, locale), limit: formatNumber(summary.limit, locale) })
        }
        hint={summary.remaining === null ? t("phones.summary.usedUnknown") : t("phones.summary.usedHint", { remaining: summary.remaining })}
        icon={UsersIcon}
      />
      <KpiCard
        label={t("phones.summary.attention")}
        value={formatNumber(summary.attention, locale)}
        hint={
          attention.length === 0
            ? t("phones.summary.attentionNone")
            : attention.length > NAMED
              ? t("phones.attention.more", { names: named, count: attention.length - NAMED })
              : named
        }
        icon={AlertTriangleIcon}
        tone={summary.attention > 0 ? "alert" : "default"}
      />
      <KpiCard
        label={t("phones.summary.window")}
        value={window.open ? t("phones.summary.windowOpen") : t("phones.summary.windowClosed")}
        hint={
          window.open
            ? t("phones.summary.windowOpenHint")
            : t("phones.summary.windowClosedHint", {
                reason: closedReason ?? t("common.dash"),
                when: formatDateTime(window.nextOpening, locale),
              })
        }
        icon={ClockIcon}
      />
    </section>
  );
}

export function PhoneSummarySkeleton() {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <KpiCardSkeleton key={i} />
      ))}
    </div>
  );
}
