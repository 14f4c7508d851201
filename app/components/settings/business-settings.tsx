/**
 * The tenant's business settings, validated as the admin types with the procedure's own zod schema
 * (server/settings/tenant-settings.ts). Saving applies at once: dispatch, the send paths and the
 * sequence timing read the tenant row when they act.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Save } from "lucide-react";
import { AUTO_ANSWER_MODES, COMMON_TIME_ZONES, HOLIDAY_COUNTRIES, settingsErrors, tenantSettingsSchema, type TenantSettings } from "#server/settings/tenant-settings";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatDateTime } from "~/lib/format";
import { useLocale, useT, type PlainMessageKey, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";

type Loaded = RouterOutputs["settings"]["get"];

/** The form holds text for the number fields, so a half-typed value is shown as typed, not as NaN. */
type Form = Omit<Record<keyof TenantSettings, string>, "sendingDays" | "holidayCountry" | "autoAnswerMode" | "autoAnswerCaps" | "timezone"> & {
  timezone: string;
  sendingDays: number[];
  holidayCountry: string;
  autoAnswerMode: TenantSettings["autoAnswerMode"];
  perLeadPerDay: string;
  perTenantPerDay: string;
};

function toForm(s: Loaded): Form {
  return {
    timezone: s.timezone,
    sendingDays: s.sendingDays,
    sendingStartHour: String(s.sendingStartHour),
    sendingEndHour: String(s.sendingEndHour),
    holidayCountry: s.holidayCountry ?? "",
    waDailyQuota: String(s.waDailyQuota),
    jitterMinSeconds: String(s.jitterMinSeconds),
    jitterMaxSeconds: String(s.jitterMaxSeconds),
    bounceThreshold: String(Math.round(s.bounceThreshold * 10_000) / 100),
    sentimentAutoThreshold: String(s.sentimentAutoThreshold),
    slaUrgentMinutes: String(s.slaUrgentMinutes),
    slaHighMinutes: String(s.slaHighMinutes),
    slaMediumMinutes: String(s.slaMediumMinutes),
    slaLowMinutes: String(s.slaLowMinutes),
    autoAnswerMode: s.autoAnswerMode,
    perLeadPerDay: String(s.autoAnswerCaps.perLeadPerDay),
    perTenantPerDay: String(s.autoAnswerCaps.perTenantPerDay),
    dispatchBatchSize: String(s.dispatchBatchSize),
  };
}

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v.replace(",", ".")));

/** The procedure's input from the form (the bounce threshold is typed in percent). */
function fromForm(f: Form) {
  return {
    timezone: f.timezone,
    sendingDays: f.sendingDays,
    sendingStartHour: num(f.sendingStartHour),
    sendingEndHour: num(f.sendingEndHour),
    holidayCountry: f.holidayCountry === "" ? null : f.holidayCountry,
    waDailyQuota: num(f.waDailyQuota),
    jitterMinSeconds: num(f.jitterMinSeconds),
    jitterMaxSeconds: num(f.jitterMaxSeconds),
    bounceThreshold: num(f.bounceThreshold) / 100,
    sentimentAutoThreshold: num(f.sentimentAutoThreshold),
    slaUrgentMinutes: num(f.slaUrgentMinutes),
    slaHighMinutes: num(f.slaHighMinutes),
    slaMediumMinutes: num(f.slaMediumMinutes),
    slaLowMinutes: num(f.slaLowMinutes),
    autoAnswerMode: f.autoAnswerMode,
    autoAnswerCaps: { perLeadPerDay: num(f.perLeadPerDay), perTenantPerDay: num(f.perTenantPerDay) },
    dispatchBatchSize: num(f.dispatchBatchSize),
  };
}

const CODE_MESSAGES = ["WINDOW_END_BEFORE_START", "JITTER_MAX_BELOW_MIN", "SLA_ORDER", "TIMEZONE_INVALID", "SENDING_DAYS_EMPTY"] as const;

function errorText(t: Translate, message: string | undefined): string | null {
  if (!message) return null;
  const code = CODE_MESSAGES.find((c) => c === message);
  return code ? t(`settings.error.${code}`) : t("settings.error.range");
}

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function BusinessSettings({ settings }: { settings: Loaded }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(settings));
  const [touched, setTouched] = useState(false);
  const input = useMemo(() => fromForm(form), [form]);
  const errors = useMemo(() => settingsErrors(input), [input]);
  const save = useMutation(trpc.settings.update.mutationOptions());
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched(true);
  };
  const err = (key: string) => errorText(t, (errors as Record<string, string | undefined>)[key]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = tenantSettingsSchema.safeParse(input);
    if (!parsed.success) {
      requestAnimationFrame(() => event.currentTarget?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      const r = await save.mutateAsync(parsed.data);
      queryClient.setQueryData(trpc.settings.get.queryKey(), r.settings);
      setForm(toForm(r.settings));
      setTouched(false);
      toast({
        title:
          r.changed.length === 0
            ? t("settings.business.unchanged")
            : t("settings.business.saved", { fields: r.changed.map((c) => t(`settings.field.${c as keyof TenantSettings}`)).join(", "), phones: r.phonesFollowingQuota }),
      });
    } catch {
      // Shown in the form.
    }
  };

  const numberField = (key: keyof Form, labelKey: Extract<PlainMessageKey, `settings.field.${string}`>, props: { min?: number; max?: number; step?: string; hint?: ReactNode; suffix?: string; errorKey?: string } = {}) => (
    <FormField label={t(labelKey)} hint={props.hint} error={err(props.errorKey ?? String(key))}>
      {(field) => (
        <div className="flex items-center gap-2">
          <Input {...field} inputMode="decimal" value={form[key] as string} onChange={(e) => set({ [key]: e.target.value } as Partial<Form>)} className="w-28" />
          {props.suffix ? <span className="text-sm text-muted-foreground">{props.suffix}</span> : null}
        </div>
      )}
    </FormField>
  );

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="grid gap-6" aria-busy={save.isPending || undefined}>
      <Card>
        <CardHeader>
          <CardTitle as="h2">{t("settings.window.title")}</CardTitle>
          <CardDescription>{t("settings.window.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <fieldset className="grid gap-2 md:col-span-2">
            <legend className="mb-1 text-sm font-medium">{t("settings.field.sendingDays")}</legend>
            <div className="flex flex-wrap gap-2">
              {DAYS.map((d) => (
                <label key={d} className="flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={form.sendingDays.includes(d)}
                    onChange={(e) => set({ sendingDays: e.target.checked ? [...form.sendingDays, d].sort() : form.sendingDays.filter((x) => x !== d) })}
                  />
                  {t(`settings.weekday.${d}`)}
                </label>
              ))}
            </div>
            {err("sendingDays") ? <p className="text-xs font-medium text-destructive">{err("sendingDays")}</p> : null}
          </fieldset>
          {numberField("sendingStartHour", "settings.field.sendingStartHour", { suffix: ":00" })}
          {numberField("sendingEndHour", "settings.field.sendingEndHour", { suffix: ":00", hint: t("settings.window.endHint") })}
          <FormField label={t("settings.field.timezone")} error={err("timezone")}>
            {(field) => (
              <Select {...field} value={form.timezone} onChange={(e) => set({ timezone: e.target.value })}>
                {[...new Set([form.timezone, ...COMMON_TIME_ZONES])].map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <FormField label={t("settings.field.holidayCountry")} hint={t("settings.window.holidayHint")}>
            {(field) => (
              <Select {...field} value={form.holidayCountry} onChange={(e) => set({ holidayCountry: e.target.value })}>
                <option value="">{t("settings.holidays.none")}</option>
                {HOLIDAY_COUNTRIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`settings.country.${c}`)}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">{t("settings.sending.title")}</CardTitle>
          <CardDescription>{t("settings.sending.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          {numberField("waDailyQuota", "settings.field.waDailyQuota", { hint: t("settings.sending.quotaHint") })}
          {numberField("jitterMinSeconds", "settings.field.jitterMinSeconds", { suffix: "s" })}
          {numberField("jitterMaxSeconds", "settings.field.jitterMaxSeconds", { suffix: "s", hint: t("settings.sending.jitterHint") })}
          {numberField("dispatchBatchSize", "settings.field.dispatchBatchSize", { hint: t("settings.sending.batchHint") })}
          {numberField("bounceThreshold", "settings.field.bounceThreshold", { suffix: "%", hint: t("settings.sending.bounceHint") })}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">{t("settings.replies.title")}</CardTitle>
          <CardDescription>{t("settings.replies.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          {numberField("sentimentAutoThreshold", "settings.field.sentimentAutoThreshold", { hint: t("settings.replies.thresholdHint") })}
          <FormField label={t("settings.field.autoAnswerMode")} hint={t(`settings.autoAnswer.hint.${form.autoAnswerMode}`)}>
            {(field) => (
              <Select {...field} value={form.autoAnswerMode} onChange={(e) => set({ autoAnswerMode: e.target.value as Form["autoAnswerMode"] })}>
                {AUTO_ANSWER_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.autoAnswer.${m}`)}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <div className="grid gap-4">
            {numberField("perLeadPerDay", "settings.field.perLeadPerDay", { errorKey: "autoAnswerCaps.perLeadPerDay" })}
            {numberField("perTenantPerDay", "settings.field.perTenantPerDay", { errorKey: "autoAnswerCaps.perTenantPerDay" })}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">{t("settings.sla.title")}</CardTitle>
          <CardDescription>{t("settings.sla.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {numberField("slaUrgentMinutes", "settings.field.slaUrgentMinutes", { suffix: "min" })}
          {numberField("slaHighMinutes", "settings.field.slaHighMinutes", { suffix: "min" })}
          {numberField("slaMediumMinutes", "settings.field.slaMediumMinutes", { suffix: "min" })}
          {numberField("slaLowMinutes", "settings.field.slaLowMinutes", { suffix: "min" })}
        </CardContent>
      </Card>

      {save.error ? (
        <Alert variant="destructive">
          <AlertTriangle />
          <AlertDescription>{t(errorMessageKey(save.error))}</AlertDescription>
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center justify-end gap-3">
        <span className="text-xs text-muted-foreground">{t("settings.business.lastSaved", { when: formatDateTime(settings.updatedAt, locale) })}</span>
        {touched ? (
          <Button variant="outline" onClick={() => (setForm(toForm(settings)), setTouched(false))} disabled={save.isPending}>
            {t("settings.business.reset")}
          </Button>
        ) : null}
        <Button type="submit" disabled={save.isPending || Object.keys(errors).length > 0}>
          <Save />
          {save.isPending ? t("common.saving") : t("settings.business.save")}
        </Button>
      </div>
    </form>
  );
}
