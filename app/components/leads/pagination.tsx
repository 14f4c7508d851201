import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import { PAGE_SIZES } from "#server/leads/list/filters";
import { Button } from "~/components/ui/button";
import { Select } from "~/components/ui/select";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { RouterOutputs } from "~/lib/trpc";

type Total = RouterOutputs["leads"]["list"]["total"];

/** Previous / next (the total may be an estimate, so there is no "last page"), the rows shown and the page size. */
export function Pagination({
  page,
  size,
  shown,
  total,
  onPage,
  onSize,
}: {
  page: number;
  size: number;
  shown: number;
  total: Total;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const from = shown === 0 ? 0 : (page - 1) * size + 1;
  const to = (page - 1) * size + shown;
  const hasNext = shown === size && (total.precision !== "exact" || to < total.value);
  return (
    <nav aria-label={t("leadsList.pagination.label")} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {t("leadsList.pagination.page", { page: formatNumber(page, locale) })}
        {shown > 0 ? <span className="ml-2 tabular-nums">({t("leadsList.pagination.range", { from: formatNumber(from, locale), to: formatNumber(to, locale) })})</span> : null}
      </p>
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-2 text-muted-foreground">
          {t("leadsList.pagination.size")}
          <Select className="h-8 w-20" value={size} onChange={(e) => onSize(Number(e.target.value))}>
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </label>
        <Button variant="outline" size="icon" className="size-8" disabled={page <= 1} onClick={() => onPage(1)} aria-label={t("leadsList.pagination.first")}>
          <ChevronsLeft aria-hidden="true" />
        </Button>
        <Button variant="outline" size="icon" className="size-8" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label={t("leadsList.pagination.prev")}>
          <ChevronLeft aria-hidden="true" />
        </Button>
        <Button variant="outline" size="icon" className="size-8" disabled={!hasNext} onClick={() => onPage(page + 1)} aria-label={t("leadsList.pagination.next")}>
          <ChevronRight aria-hidden="true" />
        </Button>
      </div>
    </nav>
  );
}
