import { Badge } from "~/components/ui/badge";
import { useT, type PlainMessageKey } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import { PRIORITY_TONE, type ReviewListItem } from "./review-model";
import { SlaCountdown } from "./sla-countdown";

/**
 * The queue, soonest due first (a rep's own items ahead of the unassigned ones, as the server orders
 * them). Each row is a button: Enter or a click opens the item; j / k move through the list.
 */
export function ReviewList({ items, selectedId, onSelect, now }: { items: readonly ReviewListItem[]; selectedId: string | null; onSelect: (id: string) => void; now: Date }) {
  const t = useT();
  return (
    <ul aria-label={t("review.list.label")} className="divide-y rounded-lg border bg-card">
      {items.map((item) => {
        const selected = item.id === selectedId;
        return (
          <li key={item.id}>
            <button
              type="button"
              data-review-id={item.id}
              aria-current={selected ? "true" : undefined}
              onClick={() => onSelect(item.id)}
              className={cn(
                "flex w-full flex-col gap-1.5 px-4 py-3 text-left transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring",
                selected && "bg-primary/5 ring-2 ring-inset ring-primary/40",
              )}
            >
              <span className="flex flex-wrap items-center gap-2">
                <Badge variant={PRIORITY_TONE[item.priority]}>{t(`priority.${item.priority}`)}</Badge>
                <span className="min-w-0 flex-1 basis-40 truncate text-sm font-semibold">{item.lead.name}</span>
                <SlaCountdown item={item} now={now} />
              </span>
              {item.replyPreview ? <span className="line-clamp-2 text-sm text-muted-foreground">„{item.replyPreview}”</span> : null}
              <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
                <span>{item.reason ? t(`review.reason.${item.reason}`) : t("review.reason.APPROVAL")}</span>
                {item.intent ? <span>{t(intentKey(item.intent))}</span> : null}
                {item.hasDraft ? <span>{t("review.list.draft")}</span> : null}
                <span className={cn("ml-auto", item.mine && "font-medium text-primary")}>
                  {item.mine ? t("review.list.mine") : (item.assignee?.name ?? t("review.list.unassigned"))}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

const INTENTS = new Set(["INTERESTED", "QUESTION", "PRICE_REQUEST", "LATER", "WRONG_PERSON", "NOT_INTERESTED", "UNSUBSCRIBE", "COMPLAINT", "AUTO_REPLY"]);
/** An intent the page does not know (a newer engine) reads as "unclear" rather than as a raw code. */
export function intentKey(intent: string): PlainMessageKey {
  const key = intent.toUpperCase();
  return (INTENTS.has(key) ? `review.intent.${key}` : "review.intent.UNKNOWN") as PlainMessageKey;
}
