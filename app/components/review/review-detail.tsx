import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangleIcon, ArrowLeftIcon } from "~/components/icons";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Textarea } from "~/components/ui/textarea";
import { useToast } from "~/components/ui/toast";
import { formatDateTime, formatNumber, formatPhone } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import { ReviewActionDialog, type DialogKind, type DialogResult } from "./review-dialogs";
import { intentKey } from "./review-list";
import { availableActions, PRIORITY_TONE, reviewErrorKey, shortcutFor, type ReviewAction, type ReviewDetail, type Viewer } from "./review-model";
import { SlaCountdown } from "./sla-countdown";
import { whyText } from "./why";

/** Keys typed into a field are text, never shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** What the analysis stored on the item says (server/replies/handle-reply.server.ts), read defensively: older items may lack fields. */
function analysisFacts(analysis: ReviewDetail["analysis"]) {
  const details: Record<string, unknown> = analysis ?? {};
  const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    reason: str(details.reason),
    confidence: num(details.confidence),
    engine: str(details.model) ?? str(details.engine),
    keywords: Array.isArray(details.keywordTriggers) ? details.keywordTriggers.filter((k): k is string => typeof k === "string") : [],
  };
}

export function ReviewDetailPanel({ reviewId, viewer, now, onBack }: { reviewId: string; viewer: Viewer; now: Date; onBack: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.reviews.get.queryOptions({ reviewId }), refetchInterval: 30_000 });
  if (detail.isPending) return <DetailSkeleton />;
  if (detail.isError) return <ErrorState title={t("review.detail.error")} description={t(reviewErrorKey(detail.error))} onRetry={() => void detail.refetch()} retrying={detail.isFetching} />;
  return <Detail key={detail.data.id} item={detail.data} viewer={viewer} now={now} onBack={onBack} />;
}

function Detail({ item, viewer, now, onBack }: { item: ReviewDetail; viewer: Viewer; now: Date; onBack: () => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const actions = availableActions(item, viewer);
  const facts = analysisFacts(item.analysis);
  const why = whyText(item.analysis, locale);
  const original = item.answer?.status === "DRAFT" ? item.answer.body : null;
  const [text, setText] = useState(original ?? "");
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  // One id per written reply: a double click or a retry after a lost answer sends it once.
  const requestId = useRef(crypto.randomUUID());
  const editor = useRef<HTMLTextAreaElement>(null);
  const edited = original !== null && text.trim() !== original.trim();

  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.reviews.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() })]);
  const handlers = {
    onSuccess: () => void refresh(),
    onError: (error: unknown) => {
      toast({ title: t(reviewErrorKey(error)), variant: "error" });
      void refresh();
    },
  };
  const done = (title: string) => () => {
    toast({ title, variant: "success" });
    setDialog(null);
  };
  const lead = item.lead.denumire;
  const claim = useMutation(trpc.reviews.claim.mutationOptions(handlers));
  const assign = useMutation(trpc.reviews.assign.mutationOptions(handlers));
  const approve = useMutation(trpc.reviews.approve.mutationOptions(handlers));
  const reply = useMutation(trpc.reviews.replyManually.mutationOptions(handlers));
  const saveDraft = useMutation(trpc.reviews.saveDraft.mutationOptions(handlers));
  const reject = useMutation(trpc.reviews.reject.mutationOptions(handlers));
  const escalate = useMutation(trpc.reviews.escalate.mutationOptions(handlers));
  const note = useMutation(trpc.reviews.addNote.mutationOptions(handlers));
  const outcome = useMutation(trpc.reviews.setOutcome.mutationOptions(handlers));
  const takeOver = useMutation(trpc.reviews.takeOver.mutationOptions(handlers));
  const release = useMutation(trpc.reviews.release.mutationOptions(handlers));
  const accept = useMutation(trpc.reviews.acceptSuggestion.mutationOptions(handlers));
  const dismiss = useMutation(trpc.reviews.dismissSuggestion.mutationOptions(handlers));
  const assignees = useQuery({ ...trpc.reviews.assignees.queryOptions(), enabled: actions.has("assign") });
  const busy = [claim, assign, approve, reply, saveDraft, reject, escalate, note, outcome, takeOver, release].some((m) => m.isPending);

  const send = () => {
    if (busy) return;
    if (original !== null && actions.has("approve")) {
      approve.mutate({ reviewId: item.id, ...(edited ? { body: text.trim() } : {}) }, { onSuccess: done(t("review.done.send", { lead })) });
    } else if (actions.has("reply") && text.trim() !== "") {
      reply.mutate({ reviewId: item.id, body: text.trim(), requestId: requestId.current }, { onSuccess: done(t("review.done.send", { lead })) });
    }
  };
  const confirmDialog = (r: DialogResult) => {
    const note_ = r.text === "" ? null : r.text;
    if (dialog === "reject") reject.mutate({ reviewId: item.id, note: note_ }, { onSuccess: done(t("review.done.reject")) });
    if (dialog === "escalate") escalate.mutate({ reviewId: item.id, note: note_ }, { onSuccess: done(t("review.done.escalate")) });
    if (dialog === "note") note.mutate({ reviewId: item.id, body: r.text }, { onSuccess: done(t("review.done.note")) });
    if (dialog === "outcome") outcome.mutate({ reviewId: item.id, outcome: r.outcome, reason: r.text }, { onSuccess: done(t("review.done.outcome")) });
    if (dialog === "takeOver") takeOver.mutate({ reviewId: item.id, leadId: item.lead.id }, { onSuccess: done(t("review.done.takeOver", { lead })) });
  };

  // The item's shortcuts (the page handles j / k / ?). Each one only does what a visible button does.
  const run = (action: ReviewAction) => {
    if (!actions.has(action) || busy) return;
    if (action === "claim") claim.mutate({ reviewId: item.id }, { onSuccess: done(t("review.done.claim")) });
    else if (action === "approve") send();
    else if (action === "edit" || action === "reply") editor.current?.focus();
    else if (action === "reject" || action === "escalate" || action === "note" || action === "takeOver") setDialog(action);
  };
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector("[role=dialog]")) return;
      const action = shortcutFor(e.key);
      if (action && action !== "next" && action !== "previous" && action !== "help" && action !== "close") {
        e.preventDefault();
        runRef.current(action);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const open = item.status !== "RESOLVED" && item.status !== "EXPIRED";
  const canWrite = open && (actions.has("approve") || actions.has("reply"));
  const channel = item.answer?.channel ?? item.conversation.find((m) => m.isTrigger)?.channel ?? null;

  return (
    <article aria-labelledby="review-title" className="grid gap-4">
      <div className="flex flex-wrap items-start gap-3">
        <Button variant="ghost" size="sm" onClick={onBack} className="lg:hidden">
          <ArrowLeftIcon />
          {t("review.detail.back")}
        </Button>
        <div className="min-w-[12rem] flex-1">
          <h2 id="review-title" className="text-lg font-semibold leading-tight">
            {lead}
          </h2>
          <p className="text-sm text-muted-foreground">
            {[item.lead.contactPrincipalNume, item.lead.contactPrincipalFunctie, item.lead.localitate, item.lead.judet].filter(Boolean).join(" · ")}
            {item.lead.telefonPrincipal ? ` · ${formatPhone(item.lead.telefonPrincipal)}` : ""}
          </p>
        </div>
        <Button asChild variant="outline" size="sm">
          <Link to={`/outreach/leads/${item.lead.id}`}>{t("review.detail.openLead")}</Link>
        </Button>
      </div>

      <dl className="grid grid-cols-2 gap-3 rounded-lg border bg-card p-4 text-sm xl:grid-cols-4">
        <Fact label={t("review.detail.status")}>
          <span className="flex flex-wrap items-center gap-1">
            <Badge variant={PRIORITY_TONE[item.priority]}>{t(`priority.${item.priority}`)}</Badge>
            <span>{t(`review.status.${item.status}`)}</span>
          </span>
        </Fact>
        <Fact label={t("review.detail.due")}>
          <span className="grid gap-0.5">
            <SlaCountdown item={item} now={now} className="w-fit" />
            <span className="text-xs text-muted-foreground">{formatDateTime(item.slaDueAt, locale)}</span>
          </span>
        </Fact>
        <Fact label={t("review.detail.assignee")}>
          {actions.has("assign") ? (
            <Select
              aria-label={t("review.action.assignTo")}
              value={item.assignedUser?.id ?? ""}
              disabled={assign.isPending || !assignees.data}
              onChange={(e) => assign.mutate({ reviewId: item.id, userId: e.target.value === "" ? null : e.target.value }, { onSuccess: done(t("review.done.assign")) })}
              className="h-8 text-sm"
            >
              <option value="">{t("review.action.nobody")}</option>
              {(assignees.data ?? (item.assignedUser ? [{ ...item.assignedUser, openItems: 0 }] : [])).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {"role" in p ? ` (${formatNumber(p.openItems, locale)})` : ""}
                </option>
              ))}
            </Select>
          ) : (
            (item.assignedUser?.name ?? t("review.list.unassigned"))
          )}
        </Fact>
        <Fact label={t("review.detail.intent")}>
          {item.aiIntent ? t(intentKey(item.aiIntent)) : t("common.dash")}
          {item.aiSentimentScore !== null ? <span className="text-muted-foreground"> · {formatNumber(item.aiSentimentScore, locale)}</span> : null}
        </Fact>
      </dl>

      {item.journey.whatsappOptedOut && item.journey.emailOptedOut ? (
        <Alert variant="warning">
          <AlertTriangleIcon />
          <AlertDescription>{t("review.detail.optedOut")}</AlertDescription>
        </Alert>
      ) : null}
      {item.journey.isHumanControlled && item.journey.holder ? (
        <Alert variant="info">
          <AlertDescription className="flex flex-wrap items-center justify-between gap-2">
            {t("review.detail.heldBy", { name: item.journey.holder.name })}
            {actions.has("release") ? (
              <Button size="sm" variant="outline" disabled={busy} onClick={() => release.mutate({ leadId: item.lead.id }, { onSuccess: done(t("review.done.release")) })}>
                {t("review.action.release")}
              </Button>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}
      {!open && item.resolution ? (
        <Alert variant="info">
          <AlertDescription>
            {t("review.detail.resolved", { resolution: t(`review.resolution.${item.resolution}`) })}
            {item.resolvedByUser ? ` · ${item.resolvedByUser.name}` : ""}
            {item.resolvedAt ? ` · ${formatDateTime(item.resolvedAt, locale)}` : ""}
          </AlertDescription>
        </Alert>
      ) : null}

      <Card>
        <CardHeader className="pb-2">
          <CardTitle as="h3" className="text-base">
            {t("review.detail.why")}
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-2 text-sm">
          <p data-testid="review-why">
            <span className="font-medium">{item.reason ? t(`review.reason.${item.reason}`) : t("review.reason.APPROVAL")}</span>
            {why ? <> — {why}</> : null}
          </p>
          <p className="text-muted-foreground">
            {[
              facts.reason,
              facts.confidence !== null ? `${t("review.detail.confidence")}: ${formatNumber(Math.round(facts.confidence * 100), locale)} %` : null,
              facts.engine ? `${t("review.detail.engine")}: ${facts.engine}` : null,
              facts.keywords.length > 0 ? `${t("review.detail.keywords")}: ${facts.keywords.join(", ")}` : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
        </CardContent>
      </Card>

      <section aria-labelledby="review-conversation" className="grid gap-2">
        <h3 id="review-conversation" className="text-sm font-semibold">
          {t("review.detail.conversation")}
        </h3>
        {item.conversation.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("review.detail.noMessages")}</p>
        ) : (
          <ol className="grid gap-2">
            {item.conversation.map((m) => (
              <li key={m.id} className={cn("flex", m.direction === "OUTBOUND" ? "justify-end" : "justify-start")}>
                <div
                  data-trigger={m.isTrigger || undefined}
                  className={cn(
                    "max-w-[85%] rounded-lg border px-3 py-2 text-sm",
                    m.direction === "OUTBOUND" ? "bg-primary/5" : "bg-card",
                    m.isTrigger && "border-primary ring-1 ring-primary",
                  )}
                >
                  <div className="mb-1 flex flex-wrap gap-x-2 text-xs text-muted-foreground">
                    <span className="font-medium">{m.direction === "OUTBOUND" ? t("review.detail.outbound") : t("review.detail.inbound")}</span>
                    <span>{t(`review.channel.${m.channel}`)}</span>
                    <span>{formatDateTime(m.sentAt ?? m.createdAt, locale)}</span>
                    {m.isTrigger ? <span className="font-medium text-primary">{t("review.detail.trigger")}</span> : null}
                  </div>
                  {m.subject ? <div className="font-medium">{m.subject}</div> : null}
                  <p className="whitespace-pre-line break-words">{m.contentPreview ?? t("common.dash")}</p>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      {canWrite ? (
        <section aria-labelledby="review-answer" className="grid gap-2 rounded-lg border bg-card p-4">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <Label id="review-answer" htmlFor="review-answer-text" className="text-sm font-semibold">
              {original !== null ? t("review.detail.draft") : t("review.detail.manual")}
            </Label>
            {channel ? <span className="text-xs text-muted-foreground">{t("review.detail.draftChannel", { channel: t(`review.channel.${channel}`) })}</span> : null}
          </div>
          <Textarea
            id="review-answer-text"
            ref={editor}
            rows={6}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send();
            }}
            aria-describedby="review-answer-hint"
          />
          <p id="review-answer-hint" className="min-h-4 text-xs text-muted-foreground">
            {original === null ? t("review.detail.manualHint") : edited ? t("review.detail.draftEdited") : null}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button onClick={send} disabled={busy || text.trim() === ""}>
              {approve.isPending || reply.isPending ? t("common.saving") : original === null ? t("review.action.reply") : edited ? t("review.action.sendEdited") : t("review.action.approve")}
            </Button>
            {original !== null && edited ? (
              <Button variant="outline" disabled={busy} onClick={() => saveDraft.mutate({ reviewId: item.id, body: text.trim() }, { onSuccess: done(t("review.done.draft")) })}>
                {t("review.action.saveDraft")}
              </Button>
            ) : null}
          </div>
        </section>
      ) : null}

      <div className="flex flex-wrap gap-2" role="group" aria-label={t("review.action.more")}>
        {actions.has("claim") ? (
          <Button variant={item.assignedUser ? "outline" : "default"} disabled={busy} onClick={() => run("claim")}>
            {t("review.action.claim")}
          </Button>
        ) : null}
        {actions.has("outcome") ? (
          <Button variant="outline" disabled={busy} onClick={() => setDialog("outcome")}>
            {t("review.action.outcome")}
          </Button>
        ) : null}
        {actions.has("takeOver") ? (
          <Button variant="outline" disabled={busy} onClick={() => setDialog("takeOver")}>
            {t("review.action.takeOver")}
          </Button>
        ) : null}
        {actions.has("escalate") ? (
          <Button variant="outline" disabled={busy} onClick={() => setDialog("escalate")}>
            {t("review.action.escalate")}
          </Button>
        ) : null}
        {actions.has("note") ? (
          <Button variant="outline" disabled={busy} onClick={() => setDialog("note")}>
            {t("review.action.note")}
          </Button>
        ) : null}
        {actions.has("reject") ? (
          <Button variant="ghost" className="text-destructive" disabled={busy} onClick={() => setDialog("reject")}>
            {t("review.action.reject")}
          </Button>
        ) : null}
      </div>

      {item.suggestions.length > 0 ? (
        <section aria-labelledby="review-suggestions" className="grid gap-2">
          <h3 id="review-suggestions" className="text-sm font-semibold">
            {t("review.detail.suggestions")}
          </h3>
          <ul className="grid gap-2">
            {item.suggestions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2 rounded-lg border bg-card p-3 text-sm">
                <span className="min-w-0 flex-1">{[s.name, s.role, s.phone ? formatPhone(s.phone) : null, s.email].filter(Boolean).join(" · ")}</span>
                <Button size="sm" disabled={accept.isPending} onClick={() => accept.mutate({ suggestionId: s.id }, { onSuccess: done(t("review.done.suggestion")) })}>
                  {t("review.action.accept")}
                </Button>
                <Button size="sm" variant="ghost" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ suggestionId: s.id }, { onSuccess: done(t("review.done.suggestion")) })}>
                  {t("review.action.dismiss")}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="review-notes" className="grid gap-2">
        <h3 id="review-notes" className="text-sm font-semibold">
          {t("review.detail.notes")}
        </h3>
        {item.notes.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("review.detail.noNotes")}</p>
        ) : (
          <ul className="grid gap-2">
            {item.notes.map((n) => (
              <li key={n.id} className="rounded-lg border bg-card p-3 text-sm">
                <div className="mb-1 text-xs text-muted-foreground">
                  {n.author.name} · {formatDateTime(n.createdAt, locale)}
                </div>
                <p className="whitespace-pre-line break-words">{n.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ReviewActionDialog
        kind={dialog}
        pending={busy}
        onClose={() => setDialog(null)}
        onConfirm={confirmDialog}
      />
    </article>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid min-w-0 gap-1">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

export function DetailSkeleton() {
  const t = useT();
  const rows = useMemo(() => [0, 1, 2], []);
  return (
    <div className="grid gap-4" aria-busy="true" aria-label={t("common.loading")}>
      <Skeleton className="h-7 w-64" />
      <Skeleton className="h-20 w-full" />
      {rows.map((r) => (
        <Skeleton key={r} className="h-16 w-full" />
      ))}
    </div>
  );
}
