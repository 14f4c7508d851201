/**
 * The phones page's mutations, one dialog each. Every dialog validates with the pure rules in
 * phone-model.ts before calling, shows the call's pending state, explains a failure in Romanian
 * (domain code first, then tRPC code) inside the dialog, confirms success with a toast, and refetches
 * the list (shared with the dashboard's quota grid) once the call has settled either way.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Role } from "#server/auth/roles";
import { AlertTriangleIcon } from "~/components/icons";
import { Alert, AlertDescription, AlertTitle } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Textarea } from "~/components/ui/textarea";
import { useToast } from "~/components/ui/toast";
import { formatDayKey, formatNumber, formatPhone } from "~/lib/format";
import { useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import {
  INITIAL_STATUSES,
  LIMITS,
  mutationErrorMessageKey,
  recheckShownErrors,
  romanianE164,
  statusReasonRequired,
  statusTargets,
  validateAddPhone,
  validateAdjustQuota,
  validateOptionalReason,
  validateStatusChange,
  type AddPhoneField,
  type AddPhoneForm,
  type FieldErrors,
  type PhoneItem,
  type PhoneStatus,
  type ValidationKey,
} from "./phone-model";

/** Invalidates `phones.list` (this page and the dashboard grid) after any change. */
function useRefreshPhones() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.phones.list.queryKey() });
}

/** Moves focus to the first invalid control after a failed submit, so the error is read out at once. */
function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

interface ShellProps {
  title: string;
  description: string;
  pending: boolean;
  onClose: () => void;
  onSubmit: (form: HTMLFormElement) => void;
  submitLabel: string;
  submitVariant?: "default" | "destructive";
  /** A failed call, already translated. */
  error: string | null;
  children?: ReactNode;
  className?: string;
}

/**
 * One dialog frame for every action: Escape, the close button and the overlay cancel, except while
 * the call is in flight (closing then would hide its outcome).
 */
function ActionDialog({ title, description, pending, onClose, onSubmit, submitLabel, submitVariant = "default", error, children, className }: ShellProps) {
  const t = useT();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!pending) onSubmit(event.currentTarget);
  };
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent className={className}>
        <form onSubmit={submit} noValidate className="grid gap-4" aria-busy={pending || undefined}>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          {children}
          {error ? (
            <Alert variant="destructive">
              <AlertTriangleIcon />
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose} disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" variant={submitVariant} disabled={pending}>
              {pending ? t("common.saving") : submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function errorText(t: Translate, error: unknown): string | null {
  return error ? t(mutationErrorMessageKey(error)) : null;
}

function fieldError(t: Translate, key: ValidationKey | undefined): string | null {
  return key ? t(key) : null;
}

// --- Status -----------------------------------------------------------------------------------------

export function StatusDialog({ phone, role, initialTarget, onClose }: { phone: PhoneItem; role: Role; initialTarget: PhoneStatus | null; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const targets = statusTargets(phone.status, role);
  const [picked, setPicked] = useState<PhoneStatus | null>(initialTarget);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors<"reason">>({});
  // A refetch may have moved the phone meanwhile: never submit a target that is no longer legal.
  const target = picked && targets.includes(picked) ? picked : (targets[0] ?? null);

  const mutation = useMutation(
    trpc.phones.changeStatus.mutationOptions({
      onSuccess: (result) => {
        const status = t(`phoneStatus.${result.to}`);
        const title = !result.changed
          ? t("phones.status.doneUnchanged", { label: phone.label, status })
          : result.to === "BANNED"
            ? result.cancelledSends === null
              ? t("phones.status.doneBannedSendsUnknown", { label: phone.label, leads: result.unassignedLeads })
              : t("phones.status.doneBanned", { label: phone.label, leads: result.unassignedLeads, sends: result.cancelledSends })
            : t("phones.status.done", { label: phone.label, status });
        toast({ title });
        onClose();
      },
      // Also after a failure: PHONE_MIRROR_STALE means the change was saved, so the list must show it.
      onSettled: () => refresh(),
    }),
  );

  const submit = (form: HTMLFormElement) => {
    if (!target) return;
    // The reason field is hidden for ACTIVE (the list clears the reason then): never send stale text.
    const checked = validateStatusChange({ to: target, reason: target === "ACTIVE" ? "" : reason });
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    mutation.mutate({ phoneId: phone.id, status: checked.value.status, reason: checked.value.reason });
  };

  const banning = target === "BANNED";
  const current = t(`phoneStatus.${phone.status}`);
  return (
    <ActionDialog
      title={t("phones.status.title", { label: phone.label })}
      description={t("phones.status.description", { status: current })}
      pending={mutation.isPending}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={banning ? t("phones.status.submitBanned") : t("phones.status.submit")}
      submitVariant={banning ? "destructive" : "default"}
      error={errorText(t, mutation.error)}
      // Two columns of choices keep the whole form, ban warning included, on one screen.
      className="sm:max-w-2xl"
    >
      {targets.length === 0 ? (
        <p className="text-sm">{t("phones.status.noTargets", { status: current })}</p>
      ) : (
        <>
          <fieldset className="grid gap-2 sm:grid-cols-2">
            <legend className="mb-2 text-sm font-medium">{t("phones.status.target")}</legend>
            {targets.map((status) => (
              <label
                key={status}
                className={cn(
                  "flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                  target === status ? (status === "BANNED" ? "border-destructive bg-destructive/5" : "border-primary bg-primary/5") : "hover:bg-accent",
                )}
              >
                <input
                  type="radio"
                  name="status"
                  value={status}
                  checked={target === status}
                  onChange={() => setPicked(status)}
                  className="mt-0.5 size-4 accent-primary"
                  disabled={mutation.isPending}
                />
                <span className="grid gap-0.5">
                  <span className="font-medium">{t(`phoneStatus.${status}`)}</span>
                  <span className="text-xs text-muted-foreground">{t(`phones.status.hint.${status}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {banning ? (
            <Alert variant="destructive" role="note">
              <AlertTriangleIcon />
              <AlertTitle>{t("phones.status.bannedTitle")}</AlertTitle>
              <AlertDescription>{t("phones.status.bannedWarning")}</AlertDescription>
            </Alert>
          ) : null}
          {target !== "ACTIVE" ? (
            <FormField
              label={t("phones.status.reason")}
              labelNote={`(${target && statusReasonRequired(target) ? t("common.required") : t("common.optional")})`}
              hint={t("phones.status.reasonHint")}
              error={fieldError(t, errors.reason)}
              required={target !== null && statusReasonRequired(target)}
            >
              {(control) => (
                <Textarea
                  {...control}
                  value={reason}
                  maxLength={LIMITS.reason}
                  onChange={(event) => setReason(event.target.value)}
                  placeholder={t("phones.status.reasonPlaceholder")}
                  disabled={mutation.isPending}
                />
              )}
            </FormField>
          ) : null}
        </>
      )}
    </ActionDialog>
  );
}

// --- Enable / disable -------------------------------------------------------------------------------

/** Disabling stops a phone whatever its status, so it asks first; enabling is one click (useSetEnabled). */
export function DisableDialog({ phone, onClose }: { phone: PhoneItem; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors<"reason">>({});
  const mutation = useMutation(
    trpc.phones.setEnabled.mutationOptions({
      onSuccess: () => {
        toast({ title: t("phones.enabled.doneDisabled", { label: phone.label }) });
        onClose();
      },
      // Also after a failure: PHONE_MIRROR_STALE means the change was saved, so the list must show it.
      onSettled: () => refresh(),
    }),
  );
  const submit = (form: HTMLFormElement) => {
    const checked = validateOptionalReason(reason);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    mutation.mutate({ phoneId: phone.id, enabled: false, reason: checked.value });
  };
  return (
    <ActionDialog
      title={t("phones.enabled.disableTitle", { label: phone.label })}
      description={t("phones.enabled.disableDescription", { status: t(`phoneStatus.${phone.status}`) })}
      pending={mutation.isPending}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t("phones.action.disable")}
      submitVariant="destructive"
      error={errorText(t, mutation.error)}
    >
      <FormField label={t("phones.status.reason")} labelNote={`(${t("common.optional")})`} hint={t("phones.enabled.reasonHint")} error={fieldError(t, errors.reason)}>
        {(control) => (
          <Textarea {...control} value={reason} maxLength={LIMITS.reason} onChange={(event) => setReason(event.target.value)} disabled={mutation.isPending} />
        )}
      </FormField>
    </ActionDialog>
  );
}

/** One-click enable (nothing to confirm: it only lets a phone send again within its status). */
export function useEnablePhone() {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const mutation = useMutation(trpc.phones.setEnabled.mutationOptions());
  const enable = (phone: Pick<PhoneItem, "id" | "label">) =>
    mutation.mutate(
      { phoneId: phone.id, enabled: true, reason: null },
      {
        onSuccess: () => toast({ title: t("phones.enabled.doneEnabled", { label: phone.label }) }),
        onError: (error) => toast({ title: t(mutationErrorMessageKey(error)), variant: "error" }),
        onSettled: () => refresh(),
      },
    );
  /** The phone whose enable call is in flight, for that row's pending state. */
  const pendingPhoneId = mutation.isPending ? (mutation.variables?.phoneId ?? null) : null;
  return { enable, pendingPhoneId };
}

// --- Manual quota adjustment (ADMIN) -----------------------------------------------------------------

export function AdjustQuotaDialog({ phone, usageDate, onClose }: { phone: PhoneItem; usageDate: string; onClose: () => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const [used, setUsed] = useState(phone.used === null ? "" : String(phone.used));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors<"used" | "reason">>({});
  const mutation = useMutation(
    trpc.phones.adjustQuota.mutationOptions({
      onSuccess: (result) => {
        toast({ title: t("phones.adjust.done", { label: phone.label, before: result.before, after: result.after, limit: result.limit }) });
        onClose();
      },
      // Also after a failure: PHONE_MIRROR_STALE means the change was saved, so the list must show it.
      onSettled: () => refresh(),
    }),
  );
  const submit = (form: HTMLFormElement) => {
    const checked = validateAdjustQuota({ used, reason }, phone.limit);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    mutation.mutate({ phoneId: phone.id, used: checked.value.used, reason: checked.value.reason });
  };
  const date = formatDayKey(usageDate, locale);
  return (
    <ActionDialog
      title={t("phones.adjust.title", { label: phone.label })}
      description={
        phone.used === null
          ? t("phones.adjust.descriptionUnknown", { date, limit: phone.limit })
          : t("phones.adjust.description", { date, used: phone.used, limit: phone.limit })
      }
      pending={mutation.isPending}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t("phones.adjust.submit")}
      submitVariant="destructive"
      error={errorText(t, mutation.error)}
    >
      <Alert variant="warning" role="note">
        <AlertTriangleIcon />
        <AlertTitle>{t("phones.adjust.emergencyTitle")}</AlertTitle>
        <AlertDescription>{t("phones.adjust.emergency")}</AlertDescription>
      </Alert>
      <FormField
        label={t("phones.adjust.used")}
        hint={t("phones.adjust.usedHint", { limit: formatNumber(phone.limit, locale) })}
        error={fieldError(t, errors.used)}
        required
      >
        {(control) => (
          <Input
            {...control}
            inputMode="numeric"
            autoComplete="off"
            className="w-32 tabular-nums"
            value={used}
            onChange={(event) => setUsed(event.target.value)}
            disabled={mutation.isPending}
          />
        )}
      </FormField>
      <FormField label={t("phones.adjust.reason")} labelNote={`(${t("common.required")})`} hint={t("phones.adjust.reasonHint")} error={fieldError(t, errors.reason)} required>
        {(control) => (
          <Textarea {...control} value={reason} maxLength={LIMITS.reason} onChange={(event) => setReason(event.target.value)} disabled={mutation.isPending} />
        )}
      </FormField>
    </ActionDialog>
  );
}

// --- Resync (ADMIN) ---------------------------------------------------------------------------------

export function ResyncDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const mutation = useMutation(
    trpc.phones.resync.mutationOptions({
      onSuccess: (result) => {
        const raised = result.phones.filter((p) => p.after !== p.before).length;
        toast({ title: t("phones.resync.done", { count: result.phones.length, raised }) });
        onClose();
      },
      // Also after a failure: PHONE_MIRROR_STALE means the change was saved, so the list must show it.
      onSettled: () => refresh(),
    }),
  );
  return (
    <ActionDialog
      title={t("phones.resync.title")}
      description={t("phones.resync.description")}
      pending={mutation.isPending}
      onClose={onClose}
      onSubmit={() => mutation.mutate()}
      submitLabel={t("phones.resync.submit")}
      error={errorText(t, mutation.error)}
    />
  );
}

// --- Add a phone (MANAGER+) -------------------------------------------------------------------------

const EMPTY_FORM: AddPhoneForm = { label: "", phoneNumber: "", timelinesaiAccountId: "", dailyQuotaLimit: "", status: "ACTIVE" };

export function AddPhoneDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshPhones();
  const [form, setForm] = useState<AddPhoneForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors<AddPhoneField>>({});
  const mutation = useMutation(
    trpc.phones.add.mutationOptions({
      onSuccess: (phone) => {
        toast({ title: t("phones.add.done", { label: phone.label, phone: formatPhone(phone.phoneNumber) }) });
        onClose();
      },
      // Also after a failure: PHONE_MIRROR_STALE means the change was saved, so the list must show it.
      onSettled: () => refresh(),
    }),
  );
  const set = <K extends keyof AddPhoneForm>(key: K, value: AddPhoneForm[K]) => {
    const next = { ...form, [key]: value };
    setForm(next);
    setErrors((shown) => recheckShownErrors(shown, next));
  };
  const submit = (element: HTMLFormElement) => {
    const checked = validateAddPhone(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(element);
      return;
    }
    setErrors({});
    mutation.mutate({ ...checked.value, notes: null });
  };
  const normalised = romanianE164(form.phoneNumber);
  const pending = mutation.isPending;
  return (
    <ActionDialog
      title={t("phones.add.title")}
      description={t("phones.add.description")}
      pending={pending}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t("phones.add.submit")}
      error={errorText(t, mutation.error)}
    >
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <FormField label={t("phones.add.label")} error={fieldError(t, errors.label)} required>
          {(control) => (
            <Input
              {...control}
              value={form.label}
              maxLength={LIMITS.label}
              placeholder={t("phones.add.labelPlaceholder")}
              onChange={(event) => set("label", event.target.value)}
              disabled={pending}
            />
          )}
        </FormField>
        <FormField
          label={t("phones.add.phoneNumber")}
          // The normalised number is the hint once it parses, so the operator sees what will be saved.
          hint={normalised ? t("phones.add.phoneNumberPreview", { phone: formatPhone(normalised) }) : t("phones.add.phoneNumberHint")}
          error={fieldError(t, errors.phoneNumber)}
          required
        >
          {(control) => (
            <Input
              {...control}
              type="tel"
              autoComplete="off"
              inputMode="tel"
              placeholder="+40 722 123 456"
              value={form.phoneNumber}
              onChange={(event) => set("phoneNumber", event.target.value)}
              disabled={pending}
            />
          )}
        </FormField>
      </div>
      <FormField label={t("phones.add.account")} hint={t("phones.add.accountHint")} error={fieldError(t, errors.timelinesaiAccountId)} required>
        {(control) => (
          <Input
            {...control}
            autoComplete="off"
            spellCheck={false}
            maxLength={LIMITS.account}
            value={form.timelinesaiAccountId}
            onChange={(event) => set("timelinesaiAccountId", event.target.value)}
            disabled={pending}
          />
        )}
      </FormField>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <FormField
          label={t("phones.add.limit")}
          labelNote={`(${t("common.optional")})`}
          hint={t("phones.add.limitHint")}
          error={fieldError(t, errors.dailyQuotaLimit)}
        >
          {(control) => (
            <Input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              placeholder="200"
              value={form.dailyQuotaLimit}
              onChange={(event) => set("dailyQuotaLimit", event.target.value)}
              disabled={pending}
            />
          )}
        </FormField>
        <FormField label={t("phones.add.status")} hint={t("phones.add.statusHint")}>
          {(control) => (
            <Select
              {...control}
              value={form.status}
              onChange={(event) => set("status", INITIAL_STATUSES.find((s) => s === event.target.value) ?? "ACTIVE")}
              disabled={pending}
            >
              {INITIAL_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`phoneStatus.${status}`)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      </div>
    </ActionDialog>
  );
}
