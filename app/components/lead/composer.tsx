/**
 * "Send a message" on the lead page: the channel, a template (with its live preview for this lead, the
 * exact text a send renders) or free text, and — before anything is sent — what will happen: now from
 * which phone, at the next opening of the sending window, tomorrow because the phone's new-contact
 * quota is spent, or not at all and why (leads.sendCheck). Sending queues the message on the channel's
 * real queue (leads.sendMessage); the timeline shows it QUEUED at once and its status as it moves.
 */
import { useMemo, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { toast } from "sonner";
import { AlertTriangleIcon, ClockIcon, MailIcon, MessageIcon, SendIcon } from "~/components/icons";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Textarea } from "~/components/ui/textarea";
import { formatDateTime, formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import { useRefreshLead, useStaleHandler } from "./lead-dialog";
import { errorKey, queueWaitMinutes, type LeadDetail, type SendCheck } from "./lead-model";

type ChannelChoice = "WHATSAPP" | "EMAIL";

const newRequestId = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : fallbackUuid());
function fallbackUuid(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function Composer({ lead }: { lead: LeadDetail }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const [channel, setChannel] = useState<ChannelChoice>("WHATSAPP");
  const [mode, setMode] = useState<"template" | "text">("template");
  const [templateId, setTemplateId] = useState("");
  const [text, setText] = useState("");
  const [subject, setSubject] = useState("");
  const [invalid, setInvalid] = useState<"text" | "subject" | null>(null);
  // One id per composed message: a double click or a retried request is the same message.
  const [requestId, setRequestId] = useState(newRequestId);

  const check = useQuery({ ...trpc.leads.sendCheck.queryOptions({ leadId: lead.leadId, channel }), enabled: !lead.erasedAt, refetchInterval: 60_000 });
  const templates = useQuery(trpc.templates.list.queryOptions({ includeInactive: false }));
  const usable = useMemo(
    () => (templates.data ?? []).filter((tpl) => (channel === "WHATSAPP" ? tpl.channel === "WHATSAPP" : tpl.channel === "EMAIL_WARM" || tpl.channel === "EMAIL_COLD")),
    [templates.data, channel],
  );
  const chosen = usable.some((tpl) => tpl.id === templateId) ? templateId : "";
  const preview = useQuery({ ...trpc.templates.preview.queryOptions({ templateId: chosen, leadId: lead.leadId }), enabled: mode === "template" && chosen !== "" });

  const send = useMutation(
    trpc.leads.sendMessage.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.check.when === "NOW" ? t("lead.send.done.NOW") : t("lead.send.done.LATER", { when: r.check.at ? formatDateTime(r.check.at, locale) : "—" }));
        setText("");
        setSubject("");
        setRequestId(newRequestId());
      },
      onError: (error) => {
        if (!stale(error, () => {})) toast.error(t(errorKey(error)));
      },
      onSettled: () => refresh(),
    }),
  );
  const locale = useLocale();

  const blocked = check.data?.blocked ?? null;
  const missing = mode === "template" && preview.data && preview.data.missing.length > 0;
  const submit = () => {
    if (mode === "text" && !text.trim()) return setInvalid("text");
    if (mode === "text" && channel === "EMAIL" && !subject.trim()) return setInvalid("subject");
    if (mode === "template" && !chosen) return setInvalid("text");
    setInvalid(null);
    send.mutate({
      leadId: lead.leadId,
      channel,
      requestId,
      ...(mode === "template" ? { templateId: chosen } : { text: text.trim(), ...(channel === "EMAIL" ? { subject: subject.trim() } : {}) }),
      expected: { humanControlled: lead.humanControlled },
    });
  };

  return (
    <Card>
      <CardHeader className="pb-3">
        <CardTitle as="h2">{t("lead.send.title")}</CardTitle>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          noValidate
          aria-busy={send.isPending || undefined}
          onSubmit={(e) => {
            e.preventDefault();
            if (!send.isPending) submit();
          }}
        >
          <div className="flex flex-wrap gap-3">
            <fieldset className="flex overflow-hidden rounded-md border">
              <legend className="sr-only">{t("lead.send.channel")}</legend>
              {(["WHATSAPP", "EMAIL"] as const).map((c) => (
                <label key={c} className={cn("flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-inset has-[:focus-visible]:ring-ring", channel === c ? "bg-primary text-primary-foreground" : "hover:bg-accent")}>
                  <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => setChannel(c)} className="sr-only" />
                  {c === "WHATSAPP" ? <MessageIcon className="size-4" /> : <MailIcon className="size-4" />}
                  {c === "WHATSAPP" ? t("lead.send.channelWhatsapp") : t("lead.send.channelEmail")}
                </label>
              ))}
            </fieldset>
            <fieldset className="flex overflow-hidden rounded-md border">
              <legend className="sr-only">{t("lead.send.mode")}</legend>
              {(["template", "text"] as const).map((m) => (
                <label key={m} className={cn("flex cursor-pointer items-center px-3 py-1.5 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-inset has-[:focus-visible]:ring-ring", mode === m ? "bg-secondary font-medium" : "hover:bg-accent")}>
                  <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} className="sr-only" />
                  {m === "template" ? t("lead.send.modeTemplate") : t("lead.send.modeText")}
                </label>
              ))}
            </fieldset>
          </div>

          {mode === "template" ? (
            <>
              <FormField label={t("lead.send.template")} error={invalid === "text" ? t("lead.send.validation.text") : null}>
                {(control) => (
                  <Select {...control} value={chosen} onChange={(e) => setTemplateId(e.target.value)} disabled={templates.isPending}>
                    <option value="">{usable.length === 0 && templates.isSuccess ? t("lead.send.templateNone") : t("lead.send.templateChoose")}</option>
                    {usable.map((tpl) => (
                      <option key={tpl.id} value={tpl.id}>
                        {tpl.name}
                      </option>
                    ))}
                  </Select>
                )}
              </FormField>
              {chosen ? (
                <section aria-label={t("lead.send.preview")} className="rounded-md border bg-muted/40 p-3 text-sm" data-testid="send-preview">
                  <p className="mb-1 text-xs font-medium text-muted-foreground">{t("lead.send.preview")}</p>
                  {preview.isPending ? (
                    <Skeleton className="h-10 w-full" />
                  ) : preview.data ? (
                    <>
                      {preview.data.subject ? <p className="font-medium">{preview.data.subject}</p> : null}
                      <p className="whitespace-pre-wrap">{preview.data.text}</p>
                      {missing ? <p className="mt-2 text-destructive">{t("lead.send.previewMissing", { names: preview.data.missing.join(", ") })}</p> : null}
                    </>
                  ) : (
                    <p className="text-destructive">{t(errorKey(preview.error))}</p>
                  )}
                </section>
              ) : null}
            </>
          ) : (
            <>
              {channel === "EMAIL" ? (
                <FormField label={t("lead.send.subject")} error={invalid === "subject" ? t("lead.send.validation.subject") : null} required>
                  {(control) => <Input {...control} value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={300} />}
                </FormField>
              ) : null}
              <FormField
                label={t("lead.send.text")}
                hint={t("lead.send.chars", { count: text.length })}
                error={invalid === "text" ? t("lead.send.validation.text") : null}
                required
              >
                {(control) => <Textarea {...control} rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={t("lead.send.textPlaceholder")} maxLength={channel === "WHATSAPP" ? 4096 : 10_000} />}
              </FormField>
            </>
          )}

          <SendOutlook check={check.data} pending={check.isPending} failed={check.isError} />

          <div className="flex justify-end">
            <Button type="submit" disabled={send.isPending || !!blocked || !!missing || !!lead.erasedAt}>
              <SendIcon />
              {send.isPending ? t("lead.send.sending") : t("lead.send.submit")}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

/** What pressing send will do: now, later and when, or not at all and why. */
function SendOutlook({ check, pending, failed }: { check: SendCheck | undefined; pending: boolean; failed: boolean }) {
  const t = useT();
  const locale = useLocale();
  if (pending) return <p className="text-sm text-muted-foreground" role="status">{t("lead.send.checking")}</p>;
  if (failed || !check) return <p className="text-sm text-muted-foreground">{t("lead.send.checkError")}</p>;
  if (check.blocked) {
    return (
      <Alert variant="destructive" data-testid="send-outlook">
        <AlertTriangleIcon />
        <AlertDescription>
          {check.blocked === "PHONE_NOT_ACTIVE" && check.phone
            ? t("lead.send.blocked.PHONE_NOT_ACTIVE", { phone: check.phone.label, status: t(`phoneStatus.${check.phone.status}`) })
            : t(`lead.send.blocked.${check.blocked}` as "lead.send.blocked.LEAD_DEAD")}
        </AlertDescription>
      </Alert>
    );
  }
  const when = check.at ? formatDateTime(check.at, locale) : "—";
  const line =
    check.when === "NOW"
      ? check.channel === "WHATSAPP"
        ? check.queue && check.queue.ahead > 0
          ? t("lead.send.when.QUEUED", { phone: check.phone?.label ?? "—", count: check.queue.ahead, minutes: queueWaitMinutes(check.queue) })
          : t("lead.send.when.NOW", { phone: check.phone?.label ?? "—" })
        : t("lead.send.when.NOW_EMAIL", { to: check.recipient ?? "—" })
      : check.when === "AT_NEXT_OPENING"
        ? t("lead.send.when.AT_NEXT_OPENING", { when })
        : t("lead.send.when.NEXT_DAY", { phone: check.phone?.label ?? "—", used: formatNumber(check.quota?.used ?? 0, locale), limit: formatNumber(check.quota?.limit ?? 0, locale), when });
  return (
    <Alert variant={check.when === "NOW" ? "info" : "warning"} data-testid="send-outlook">
      {check.when === "NOW" ? <SendIcon /> : <ClockIcon />}
      <AlertDescription>
        <p>{line}</p>
        {check.quota ? (
          <p className="mt-1 text-xs opacity-80">
            {check.quota.cost === 1
              ? t("lead.send.quotaNew", { used: formatNumber(check.quota.used ?? 0, locale), limit: formatNumber(check.quota.limit ?? 0, locale) })
              : t("lead.send.quotaFollowUp")}
          </p>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
