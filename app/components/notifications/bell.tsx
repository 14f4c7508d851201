import { useEffect, useId, useRef, useState } from "react";
import { Link } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellIcon } from "~/components/icons";
import { Button } from "~/components/ui/button";
import { formatRelativeTime } from "~/lib/format";
import { useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";

type Notification = RouterOutputs["notifications"]["list"]["items"][number];

/** Assignments and deadlines should reach a rep within a minute without a reload. */
const REFRESH_MS = 30_000;
const PRIORITIES = new Set(["URGENT", "HIGH", "MEDIUM", "LOW"]);

/** A notification in the reader's language: the server stores a kind and parameters, never a sentence. */
export function notificationText(n: Pick<Notification, "kind" | "params">, t: Translate): string {
  const lead = typeof n.params.lead === "string" ? n.params.lead : "—";
  const p = typeof n.params.priority === "string" && PRIORITIES.has(n.params.priority) ? t(`priority.${n.params.priority as "URGENT"}`).toLowerCase() : "—";
  switch (n.kind) {
    case "review.assigned":
      return t("bell.review.assigned", { lead, priority: p });
    case "review.due_soon":
      return t("bell.review.due_soon", { lead });
    case "review.breached":
      return t("bell.review.breached", { lead });
    case "review.escalated":
      return t("bell.review.escalated", { lead, priority: p });
    case "answer.failed":
      return t("bell.answer.failed", { lead });
    default:
      return lead;
  }
}

/**
 * The header's bell (issue 15: "in-app notifications for new assignments and items near breach"):
 * the unread count on the icon, the latest items in a panel; opening one marks it read and goes to
 * its review item. Escape or a click elsewhere closes the panel.
 */
export function NotificationBell() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const list = useQuery({ ...trpc.notifications.list.queryOptions({ limit: 20 }), refetchInterval: REFRESH_MS });
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }) }));
  const unread = list.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <Button
        variant="ghost"
        size="icon"
        aria-label={unread > 0 ? `${t("bell.label")}: ${t("bell.unread", { count: unread })}` : t("bell.label")}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative"
      >
        <BellIcon />
        {unread > 0 ? (
          <span data-testid="bell-count" className="absolute -right-0.5 -top-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-destructive px-1 text-[10px] font-semibold text-destructive-foreground">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Button>
      {open ? (
        <div id={panelId} role="region" aria-label={t("bell.label")} className="absolute right-0 top-11 z-40 w-[min(22rem,calc(100vw-2rem))] rounded-lg border bg-card shadow-lg">
          <div className="flex items-center justify-between gap-2 border-b px-3 py-2">
            <span className="text-sm font-semibold">{t("bell.label")}</span>
            {unread > 0 ? (
              <Button variant="link" size="sm" className="h-auto p-0" disabled={markRead.isPending} onClick={() => markRead.mutate({ ids: "all" })}>
                {t("bell.markAll")}
              </Button>
            ) : null}
          </div>
          {list.isPending ? (
            <p className="px-3 py-4 text-sm text-muted-foreground">{t("common.loading")}</p>
          ) : list.isError ? (
            <p className="px-3 py-4 text-sm text-destructive">{t("bell.error")}</p>
          ) : list.data.items.length === 0 ? (
            <p className="px-3 py-4 text-sm text-muted-foreground">{t("bell.empty")}</p>
          ) : (
            <ul className="max-h-96 divide-y overflow-y-auto">
              {list.data.items.map((n) => (
                <li key={n.id}>
                  <Link
                    to={n.reviewId ? `/outreach/review?item=${n.reviewId}` : (n.link ?? "/outreach/review")}
                    onClick={() => {
                      if (!n.readAt) markRead.mutate({ ids: [n.id] });
                      setOpen(false);
                    }}
                    className={cn("block px-3 py-2.5 text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none", !n.readAt && "bg-primary/5 font-medium")}
                  >
                    {notificationText(n, t)}
                    <span className="mt-0.5 block text-xs font-normal text-muted-foreground">{formatRelativeTime(n.createdAt, new Date(), locale)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
