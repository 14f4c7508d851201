import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useNavigate, useParams, useRouteLoaderData } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, ArrowLeft, Info, Plus, Save } from "lucide-react";
import { PageHeader } from "~/components/page-header";
import {
  cumulativeDelays,
  draftFromSequence,
  emptyStep,
  fallbackTemplatesFor,
  STEP_CHANNELS,
  templatesFor,
  toStepInputs,
  validateDraft,
  type SequenceDraft,
  type StepDraft,
  type StepFieldError,
  type TemplateOption,
} from "~/components/sequences/builder-model";
import { EnrollPanel } from "~/components/sequences/enroll-panel";
import { StepList } from "~/components/sequences/step-list";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Textarea } from "~/components/ui/textarea";
import { ToastProvider, useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatNumber } from "~/lib/format";
import { pageTitle, useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.sequences") }];

export default function SequenceBuilderPage() {
  return (
    <ToastProvider>
      <Builder />
    </ToastProvider>
  );
}

function Builder() {
  const t = useT();
  const trpc = useTRPC();
  const { sequenceId = "new" } = useParams();
  const isNew = sequenceId === "new";
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const canManage = role === "MANAGER" || role === "ADMIN";
  const sequence = useQuery({ ...trpc.sequences.get.queryOptions({ sequenceId }), enabled: !isNew });
  const templates = useQuery(trpc.templates.list.queryOptions({ includeInactive: true }));

  const loading = templates.isPending || (!isNew && sequence.isPending);
  const failed = templates.isError || (!isNew && sequence.isError);
  return (
    <>
      <div className="mb-2">
        <Button asChild variant="link" size="sm" className="px-0">
          <Link to="/outreach/sequences">
            <ArrowLeft />
            {t("sequences.builder.back")}
          </Link>
        </Button>
      </div>
      {loading ? (
        <>
          <PageHeader title={isNew ? t("sequences.builder.newTitle") : t("common.loading")} />
          <div className="grid gap-4" aria-busy="true">
            <Skeleton className="h-32 w-full" />
            <Skeleton className="h-48 w-full" />
          </div>
        </>
      ) : failed ? (
        <>
          <PageHeader title={t("nav.sequences")} />
          <ErrorState title={t(errorMessageKey(sequence.error ?? templates.error))} onRetry={() => void Promise.all([sequence.refetch(), templates.refetch()])} />
        </>
      ) : (
        <BuilderForm
          key={sequence.data?.id ?? "new"}
          sequenceId={isNew ? null : sequenceId}
          initial={sequence.data ?? null}
          templates={templates.data.map((x) => ({ id: x.id, name: x.name, channel: x.channel, isActive: x.isActive }))}
          canManage={canManage}
        />
      )}
      {!loading && !failed && sequence.data && canManage && sequence.data.isActive && !sequence.data.archivedAt ? (
        <div className="mt-6">
          <EnrollPanel sequenceId={sequence.data.id} sequenceName={sequence.data.name} />
        </div>
      ) : null}
    </>
  );
}

type Loaded = RouterOutputs["sequences"]["get"];

function BuilderForm({ sequenceId, initial, templates, canManage }: { sequenceId: string | null; initial: Loaded | null; templates: TemplateOption[]; canManage: boolean }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const archived = initial?.archivedAt != null;
  const readOnly = !canManage || archived;
  const [draft, setDraft] = useState<SequenceDraft>(() => (initial ? draftFromSequence(initial) : { name: "", description: "", isDefault: false, steps: [emptyStep(undefined, templates)] }));
  const [submitted, setSubmitted] = useState(false);
  const [nameTouched, setNameTouched] = useState(false);
  const validation = useMemo(() => validateDraft(draft, templates), [draft, templates]);
  const create = useMutation(trpc.sequences.create.mutationOptions());
  const change = useMutation(trpc.sequences.update.mutationOptions());
  const save = sequenceId ? change : create;
  const open = initial ? initial.enrollments.ACTIVE + initial.enrollments.PAUSED : 0;
  const due = cumulativeDelays(draft.steps);

  // A successful save leaves the form clean; leaving with unsaved changes asks first.
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const update = (next: SequenceDraft) => {
    setDraft(next);
    setDirty(true);
  };
  const setStep = (index: number, patch: Partial<StepDraft>) => update({ ...draft, steps: draft.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.valid || readOnly) {
      requestAnimationFrame(() => event.currentTarget?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const body = { name: draft.name.trim(), description: draft.description.trim() || null, isDefault: draft.isDefault, steps: toStepInputs(draft.steps) };
    try {
      const saved = sequenceId ? await change.mutateAsync({ sequenceId, ...body }) : await create.mutateAsync(body);
      setDirty(false);
      await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.sequences.overview.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.sequences.get.queryKey({ sequenceId: saved.id }) })]);
      toast({ title: t("sequences.builder.saved", { name: saved.name }) });
      if (!sequenceId) navigate(`/outreach/sequences/${saved.id}`, { replace: true });
    } catch {
      // Shown below.
    }
  };

  const stepError = (code: StepFieldError | null): string | null => (code ? stepErrorText(t, code) : null);
  const showName = submitted || nameTouched;

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="grid gap-6" aria-busy={save.isPending || undefined}>
      <PageHeader
        title={initial ? initial.name : t("sequences.builder.newTitle")}
        description={
          archived
            ? t("sequences.builder.archivedNote")
            : readOnly
              ? t("sequences.builder.readOnly")
              : initial
                ? t("sequences.builder.editDescription")
                : t("sequences.builder.newDescription")
        }
        actions={
          !readOnly ? (
            <Button type="submit" disabled={save.isPending}>
              <Save />
              {save.isPending ? t("common.saving") : t("sequences.builder.save")}
            </Button>
          ) : null
        }
      />
      {open > 0 && !readOnly ? (
        <Alert variant="info">
          <Info />
          <AlertDescription>{t("sequences.builder.openEnrollments", { count: open })}</AlertDescription>
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h2">{t("sequences.builder.details")}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <FormField label={t("sequences.builder.name")} required error={showName && validation.name ? t(`sequences.builder.error.${validation.name}`) : null}>
            {(field) => (
              <Input {...field} value={draft.name} disabled={readOnly} maxLength={200} onChange={(e) => update({ ...draft, name: e.target.value })} onBlur={() => setNameTouched(true)} />
            )}
          </FormField>
          <FormField label={t("sequences.builder.description")} labelNote={`(${t("common.optional")})`}>
            {(field) => <Textarea {...field} rows={2} value={draft.description} disabled={readOnly} maxLength={2000} onChange={(e) => update({ ...draft, description: e.target.value })} />}
          </FormField>
          <label className="flex items-start gap-2 text-sm md:col-span-2">
            <input type="checkbox" className="mt-0.5 size-4 accent-primary" checked={draft.isDefault} disabled={readOnly} onChange={(e) => update({ ...draft, isDefault: e.target.checked })} />
            <span>
              <span className="font-medium">{t("sequences.builder.isDefault")}</span>
              <span className="block text-muted-foreground">{t("sequences.builder.isDefaultHint")}</span>
            </span>
          </label>
        </CardContent>
      </Card>

      <section aria-labelledby="steps-heading" className="grid gap-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="steps-heading" className="text-base font-semibold">
              {t("sequences.builder.steps")}
            </h2>
            <p className="text-sm text-muted-foreground">{t("sequences.builder.stepsHint")}</p>
          </div>
          {!readOnly ? (
            <Button variant="outline" size="sm" onClick={() => update({ ...draft, steps: [...draft.steps, emptyStep(draft.steps[draft.steps.length - 1], templates)] })} disabled={draft.steps.length >= 30}>
              <Plus />
              {t("sequences.builder.addStep")}
            </Button>
          ) : null}
        </div>
        {validation.sequence.includes("NO_STEPS") && (submitted || dirty) ? (
          <p className="text-sm font-medium text-destructive" role="alert">
            {t("sequences.builder.error.NO_STEPS")}
          </p>
        ) : null}
        <StepList
          steps={draft.steps}
          disabled={readOnly}
          onChange={(steps) => update({ ...draft, steps })}
          renderStep={(step, index) => {
            const v = validation.steps[index]!;
            const own = templatesFor(step.channel, templates, step.templateId);
            const fallbacks = fallbackTemplatesFor(step.channel, templates, step.fallbackTemplateId);
            return (
              <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
                <FormField label={t("sequences.builder.channel")}>
                  {(field) => (
                    <Select
                      {...field}
                      value={step.channel}
                      disabled={readOnly}
                      onChange={(e) => {
                        const channel = e.target.value as StepDraft["channel"];
                        const template = templatesFor(channel, templates, "").find((x) => x.isActive);
                        setStep(index, { channel, templateId: template?.id ?? "", fallbackTemplateId: "" });
                      }}
                    >
                      {STEP_CHANNELS.map((c) => (
                        <option key={c} value={c}>
                          {t(`channel.${c}`)}
                        </option>
                      ))}
                    </Select>
                  )}
                </FormField>
                <FormField label={t("sequences.builder.template")} required error={stepError(v.template)}>
                  {(field) => (
                    <Select {...field} value={step.templateId} disabled={readOnly} onChange={(e) => setStep(index, { templateId: e.target.value })}>
                      <option value="">{t("sequences.builder.chooseTemplate")}</option>
                      {own.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.isActive ? x.name : t("sequences.builder.inactiveTemplate", { name: x.name })}
                        </option>
                      ))}
                    </Select>
                  )}
                </FormField>
                <FormField label={t("sequences.builder.fallback")} labelNote={`(${t("common.optional")})`} hint={t("sequences.builder.fallbackHint")} error={stepError(v.fallback)}>
                  {(field) => (
                    <Select {...field} value={step.fallbackTemplateId} disabled={readOnly} onChange={(e) => setStep(index, { fallbackTemplateId: e.target.value })}>
                      <option value="">{t("sequences.builder.noFallback")}</option>
                      {fallbacks.map((x) => (
                        <option key={x.id} value={x.id}>
                          {`${t(`channel.${x.channel}`)} · ${x.isActive ? x.name : t("sequences.builder.inactiveTemplate", { name: x.name })}`}
                        </option>
                      ))}
                    </Select>
                  )}
                </FormField>
                <fieldset className="grid content-start gap-1.5">
                  <legend className="mb-1.5 text-sm font-medium">{index === 0 ? t("sequences.builder.delayFirst") : t("sequences.builder.delay")}</legend>
                  <div className="flex gap-2">
                    {(["delayDays", "delayHours", "delayMinutes"] as const).map((unit) => (
                      <label key={unit} className="grid flex-1 gap-0.5 text-xs text-muted-foreground">
                        <Input
                          type="number"
                          inputMode="numeric"
                          min={0}
                          max={unit === "delayDays" ? 365 : unit === "delayHours" ? 23 : 59}
                          value={Number.isNaN(step[unit]) ? "" : step[unit]}
                          disabled={readOnly}
                          aria-invalid={v.delay ? true : undefined}
                          onChange={(e) => setStep(index, { [unit]: e.target.value === "" ? Number.NaN : Number(e.target.value) })}
                        />
                        {t(`sequences.builder.unit.${unit}`)}
                      </label>
                    ))}
                  </div>
                  {v.delay ? <p className="text-xs font-medium text-destructive">{stepError(v.delay)}</p> : null}
                  <p className="text-xs text-muted-foreground">{dueText(t, due[index] ?? 0, locale)}</p>
                </fieldset>
                <div className="flex flex-wrap gap-x-6 gap-y-2 md:col-span-2 xl:col-span-4">
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" className="mt-0.5 size-4 accent-primary" checked={step.respectBusinessHours} disabled={readOnly} onChange={(e) => setStep(index, { respectBusinessHours: e.target.checked })} />
                    <span>
                      {t("sequences.builder.businessHours")}
                      <span className="block text-xs text-muted-foreground">{t("sequences.builder.businessHoursHint")}</span>
                    </span>
                  </label>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" className="mt-0.5 size-4 accent-primary" checked={step.stopOnReply} disabled={readOnly} onChange={(e) => setStep(index, { stopOnReply: e.target.checked })} />
                    <span>
                      {t("sequences.builder.stopOnReply")}
                      <span className="block text-xs text-muted-foreground">{t("sequences.builder.stopOnReplyHint")}</span>
                    </span>
                  </label>
                </div>
              </div>
            );
          }}
        />
      </section>

      {save.error ? (
        <Alert variant="destructive">
          <AlertTriangle />
          <AlertDescription>{t(errorMessageKey(save.error))}</AlertDescription>
        </Alert>
      ) : null}
      {submitted && !validation.valid ? (
        <p role="alert" className="text-sm font-medium text-destructive">
          {t("sequences.builder.fixErrors")}
        </p>
      ) : null}
      {!readOnly ? (
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            <Save />
            {save.isPending ? t("common.saving") : t("sequences.builder.save")}
          </Button>
        </div>
      ) : null}
      {draft.steps.length > 0 ? <p className="text-xs text-muted-foreground">{t("sequences.builder.total", { count: draft.steps.length, days: formatNumber((due[due.length - 1] ?? 0) / 86_400_000, locale, 1) })}</p> : null}
    </form>
  );
}

function stepErrorText(t: Translate, code: StepFieldError): string {
  return t(`sequences.builder.error.${code}`);
}

function dueText(t: Translate, ms: number, locale: "ro" | "en"): string {
  if (ms <= 0) return t("sequences.builder.dueAtOnce");
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const parts = [
    days > 0 ? t("sequences.builder.days", { count: days }) : null,
    hours > 0 ? t("sequences.builder.hours", { count: hours }) : null,
    minutes > 0 ? t("sequences.builder.minutes", { count: minutes }) : null,
  ].filter((p): p is string => p !== null);
  return t("sequences.builder.dueAfter", { when: new Intl.ListFormat(locale === "ro" ? "ro-RO" : "en-GB", { type: "conjunction" }).format(parts) });
}
