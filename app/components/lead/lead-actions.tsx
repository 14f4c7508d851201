/**
 * The lead page's actions, each a call to one use case (server/leads/…), each with the result said in
 * a toast: take over / hand back, pause / resume, change stage, owner, enroll / stop a sequence, note,
 * opt out, GDPR export and erasure. Every action sends what the screen showed about what it changes
 * (state, owner, who holds the lead), so a stale screen gets "this lead changed" instead of a surprise.
 */
import { useState, type ComponentType, type ReactNode } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouteLoaderData } from "@remix-run/react";
import { toast } from "sonner";
import {
  ArrowRightLeftIcon,
  BanIcon,
  BotIcon,
  DownloadIcon,
  HandIcon,
  NoteIcon,
  PauseIcon,
  PlayIcon,
  SequenceIcon,
  TrashIcon,
  UsersIcon,
  type IconProps,
} from "~/components/icons";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Textarea } from "~/components/ui/textarea";
import { useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import type { RootData } from "~/root";
import { LeadDialog, useRefreshLead, useStaleHandler } from "./lead-dialog";
import { exportFileName, type LeadDetail } from "./lead-model";

type Open =
  | { kind: "state"; to: LeadDetail["state"]["allowedNext"][number] | null }
  | { kind: "assign" }
  | { kind: "enroll" }
  | { kind: "stop"; enrollmentId: string; name: string }
  | { kind: "note" }
  | { kind: "optOut" }
  | { kind: "export" }
  | { kind: "erase" };

/** States a person chooses from the "change stage" dialog (pause and resume have their own buttons). */
const PICKABLE = ["WARM_REPLY", "NEGOTIATION", "CONVERTED", "DEAD"] as const;

export function LeadActions({ lead }: { lead: LeadDetail }) {
  const t = useT();
  const trpc = useTRPC();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? "SALES_REP";
  const [open, setOpen] = useState<Open | null>(null);
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const close = () => setOpen(null);
  const erased = lead.erasedAt !== null;
  const expected = { humanControlled: lead.humanControlled };

  const hold = useMutation(
    trpc.leads.takeOver.mutationOptions({
      onSuccess: () => toast.success(t("lead.done.takeOver")),
      onError: (error) => stale(error, close) || toast.error(t("lead.error.UNKNOWN")),
      onSettled: () => refresh(),
    }),
  );
  const release = useMutation(
    trpc.leads.release.mutationOptions({
      onSuccess: () => toast.success(t("lead.done.release")),
      onError: (error) => stale(error, close) || toast.error(t("lead.error.UNKNOWN")),
      onSettled: () => refresh(),
    }),
  );

  const paused = lead.state.current === "PAUSED";
  const canPause = lead.state.allowedNext.includes("PAUSED");
  const pickable = PICKABLE.filter((s) => lead.state.allowedNext.includes(s));
  const openEnrollments = lead.enrollments.filter((e) => e.status === "ACTIVE" || e.status === "PAUSED");

  return (
    <Card>
      <CardHeader className="pb-3">
        <CardTitle as="h2">{t("lead.actions.title")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {lead.humanControlled ? (
          <ActionButton icon={BotIcon} disabled={erased || release.isPending} onClick={() => release.mutate({ leadId: lead.leadId, expected })}>
            {t("lead.actions.release")}
          </ActionButton>
        ) : (
          <ActionButton icon={HandIcon} variant="default" disabled={erased || hold.isPending} onClick={() => hold.mutate({ leadId: lead.leadId, expected })}>
            {t("lead.actions.takeOver")}
          </ActionButton>
        )}
        <div className="grid grid-cols-2 gap-2">
          {paused ? (
            <ActionButton icon={PlayIcon} disabled={erased || !lead.state.previous} onClick={() => setOpen({ kind: "state", to: lead.state.previous })}>
              {t("lead.actions.resume")}
            </ActionButton>
          ) : (
            <ActionButton icon={PauseIcon} disabled={erased || !canPause} onClick={() => setOpen({ kind: "state", to: "PAUSED" })}>
              {t("lead.actions.pause")}
            </ActionButton>
          )}
          <ActionButton icon={ArrowRightLeftIcon} disabled={erased || pickable.length === 0} onClick={() => setOpen({ kind: "state", to: null })}>
            {t("lead.actions.changeState")}
          </ActionButton>
          <ActionButton icon={UsersIcon} disabled={erased} onClick={() => setOpen({ kind: "assign" })}>
            {t("lead.actions.assign")}
          </ActionButton>
          <ActionButton icon={NoteIcon} disabled={erased} onClick={() => setOpen({ kind: "note" })}>
            {t("lead.actions.note")}
          </ActionButton>
          {openEnrollments.length > 0 ? (
            <ActionButton icon={SequenceIcon} disabled={erased} onClick={() => setOpen({ kind: "stop", enrollmentId: openEnrollments[0]!.id, name: openEnrollments[0]!.sequenceName })}>
              {t("lead.actions.stopSequence")}
            </ActionButton>
          ) : (
            <ActionButton icon={SequenceIcon} disabled={erased} onClick={() => setOpen({ kind: "enroll" })}>
              {t("lead.actions.enroll")}
            </ActionButton>
          )}
          <ActionButton icon={DownloadIcon} onClick={() => setOpen({ kind: "export" })}>
            {t("lead.actions.export")}
          </ActionButton>
        </div>
        <ActionButton icon={BanIcon} variant="outline" className="border-destructive/40 text-destructive hover:bg-destructive/5 hover:text-destructive" disabled={erased || (lead.optedOut.whatsapp && lead.optedOut.email)} onClick={() => setOpen({ kind: "optOut" })}>
          {t("lead.actions.optOut")}
        </ActionButton>
        {role !== "SALES_REP" ? (
          <ActionButton icon={TrashIcon} variant="ghost" className="text-destructive hover:bg-destructive/5 hover:text-destructive" disabled={erased} onClick={() => setOpen({ kind: "erase" })}>
            {t("lead.actions.erase")}
          </ActionButton>
        ) : null}
      </CardContent>

      {open?.kind === "state" ? <StateDialog lead={lead} initial={open.to} pickable={open.to === null ? [...pickable] : []} onClose={close} /> : null}
      {open?.kind === "assign" ? <AssignDialog lead={lead} onClose={close} /> : null}
      {open?.kind === "enroll" ? <EnrollDialog lead={lead} onClose={close} /> : null}
      {open?.kind === "stop" ? <StopDialog lead={lead} enrollmentId={open.enrollmentId} name={open.name} onClose={close} /> : null}
      {open?.kind === "note" ? <NoteDialog lead={lead} onClose={close} /> : null}
      {open?.kind === "optOut" ? <OptOutDialog lead={lead} onClose={close} /> : null}
      {open?.kind === "export" ? <ExportDialog lead={lead} onClose={close} /> : null}
      {open?.kind === "erase" ? <EraseDialog lead={lead} onClose={close} /> : null}
    </Card>
  );
}

function ActionButton({ icon: Icon, children, variant = "outline", className, ...props }: { icon: ComponentType<IconProps>; children: ReactNode; variant?: "default" | "outline" | "ghost"; className?: string; disabled?: boolean; onClick: () => void }) {
  return (
    <Button variant={variant} className={`h-auto min-h-9 justify-start whitespace-normal py-2 text-left ${className ?? ""}`} {...props}>
      <Icon />
      <span>{children}</span>
    </Button>
  );
}

function ReasonField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | null }) {
  const t = useT();
  return (
    <FormField label={t("lead.dialog.reason")} hint={t("lead.dialog.reasonHint")} error={error ?? null} required>
      {(control) => <Textarea {...control} value={value} onChange={(e) => onChange(e.target.value)} maxLength={500} />}
    </FormField>
  );
}

function StateDialog({ lead, initial, pickable, onClose }: { lead: LeadDetail; initial: LeadDetail["state"]["allowedNext"][number] | null; pickable: Array<(typeof PICKABLE)[number]>; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const [to, setTo] = useState(initial ?? pickable[0] ?? null);
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation(
    trpc.leads.transition.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("lead.done.state", { state: t(`state.${r.to}`) }));
        onClose();
      },
      onError: (error) => void stale(error, onClose),
      onSettled: () => refresh(),
    }),
  );
  const title = initial === "PAUSED" ? t("lead.dialog.pauseTitle") : initial ? t("lead.dialog.resumeTitle") : t("lead.dialog.stateTitle");
  const description = initial === "PAUSED" ? t("lead.dialog.pauseDescription") : initial ? t("lead.dialog.resumeDescription", { state: t(`state.${initial}`) }) : t("lead.dialog.stateDescription");
  return (
    <LeadDialog
      title={title}
      description={description}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.save")}
      onSubmit={() => {
        if (!reason.trim()) return setInvalid(true);
        if (to) mutation.mutate({ leadId: lead.leadId, to, reason: reason.trim(), expectedFrom: lead.state.current });
      }}
    >
      {initial === null ? (
        <FormField label={t("lead.dialog.stateTarget")}>
          {(control) => (
            <Select {...control} value={to ?? ""} onChange={(e) => setTo(e.target.value as (typeof PICKABLE)[number])}>
              {pickable.map((s) => (
                <option key={s} value={s}>
                  {t(`state.${s}`)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      ) : null}
      <ReasonField value={reason} onChange={setReason} error={invalid && !reason.trim() ? t("phones.validation.reasonRequired") : null} />
    </LeadDialog>
  );
}

function AssignDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const root = useRouteLoaderData<RootData>("root");
  const me = root?.user;
  const isRep = me?.role === "SALES_REP";
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const owners = useQuery({ ...trpc.leads.owners.queryOptions(), enabled: !isRep });
  const [ownerId, setOwnerId] = useState<string>(isRep ? (me?.id ?? "") : (lead.owner?.id ?? ""));
  const mutation = useMutation(
    trpc.leads.assign.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.owner ? t("lead.done.assign", { name: r.owner.name }) : t("lead.done.assignNone"));
        onClose();
      },
      onError: (error) => void stale(error, onClose),
      onSettled: () => refresh(),
    }),
  );
  const options = isRep ? (me ? [{ id: me.id, name: me.name }] : []) : (owners.data ?? []);
  return (
    <LeadDialog
      title={t("lead.dialog.assignTitle")}
      description={isRep ? t("lead.dialog.assignRepHint") : undefined}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.save")}
      onSubmit={() => mutation.mutate({ leadId: lead.leadId, ownerId: ownerId || null, expected: { ownerId: lead.owner?.id ?? null } })}
    >
      <FormField label={t("lead.dialog.assignOwner")}>
        {(control) => (
          <Select {...control} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} disabled={!isRep && owners.isPending}>
            {!isRep ? <option value="">{t("lead.ownerNone")}</option> : null}
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </Select>
        )}
      </FormField>
    </LeadDialog>
  );
}

function EnrollDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const sequences = useQuery(trpc.sequences.list.queryOptions());
  const active = (sequences.data ?? []).filter((s) => s.isActive);
  const [sequenceId, setSequenceId] = useState("");
  const chosen = sequenceId || active[0]?.id || "";
  const mutation = useMutation(
    trpc.leads.enroll.mutationOptions({
      onSuccess: () => {
        toast.success(t("lead.done.enroll"));
        onClose();
      },
      onError: (error) => void stale(error, onClose),
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.enrollTitle")}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.actions.enroll")}
      submitDisabled={!chosen}
      onSubmit={() => chosen && mutation.mutate({ leadId: lead.leadId, sequenceId: chosen, expected: { state: lead.state.current } })}
    >
      {sequences.isSuccess && active.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("lead.dialog.enrollNone")}</p>
      ) : (
        <FormField label={t("lead.dialog.enrollSequence")}>
          {(control) => (
            <Select {...control} value={chosen} onChange={(e) => setSequenceId(e.target.value)} disabled={sequences.isPending}>
              {active.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      )}
    </LeadDialog>
  );
}

function StopDialog({ lead, enrollmentId, name, onClose }: { lead: LeadDetail; enrollmentId: string; name: string; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation(
    trpc.leads.stopSequence.mutationOptions({
      onSuccess: () => {
        toast.success(t("lead.done.stopSequence"));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.stopTitle", { name })}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.actions.stopSequence")}
      submitVariant="destructive"
      onSubmit={() => (reason.trim() ? mutation.mutate({ leadId: lead.leadId, enrollmentId, reason: reason.trim() }) : setInvalid(true))}
    >
      <ReasonField value={reason} onChange={setReason} error={invalid && !reason.trim() ? t("phones.validation.reasonRequired") : null} />
    </LeadDialog>
  );
}

function NoteDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const [body, setBody] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation(
    trpc.leads.addNote.mutationOptions({
      onSuccess: () => {
        toast.success(t("lead.done.note"));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.noteTitle")}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.save")}
      onSubmit={() => (body.trim() ? mutation.mutate({ leadId: lead.leadId, body: body.trim() }) : setInvalid(true))}
    >
      <FormField label={t("lead.dialog.noteBody")} hint={t("lead.dialog.noteHint")} error={invalid && !body.trim() ? t("phones.validation.reasonRequired") : null} required>
        {(control) => <Textarea {...control} rows={4} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} />}
      </FormField>
    </LeadDialog>
  );
}

function OptOutDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const stale = useStaleHandler(lead.leadId);
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation(
    trpc.leads.optOut.mutationOptions({
      onSuccess: () => {
        toast.success(t("lead.done.optOut"));
        onClose();
      },
      onError: (error) => void stale(error, onClose),
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.optOutTitle")}
      description={t("lead.dialog.optOutDescription")}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.optOutSubmit")}
      submitVariant="destructive"
      onSubmit={() => (reason.trim() ? mutation.mutate({ leadId: lead.leadId, reason: reason.trim(), expected: { humanControlled: lead.humanControlled } }) : setInvalid(true))}
    >
      <ReasonField value={reason} onChange={setReason} error={invalid && !reason.trim() ? t("phones.validation.reasonRequired") : null} />
    </LeadDialog>
  );
}

function ExportDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const mutation = useMutation(
    trpc.leads.gdprExport.mutationOptions({
      onSuccess: (data) => {
        // The file is built in the browser from the procedure's answer: nothing is written server-side.
        const file = exportFileName(lead.leadId, new Date());
        const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = file;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        toast.success(t("lead.done.export", { file }));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.exportTitle")}
      description={t("lead.dialog.exportDescription")}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.exportSubmit")}
      onSubmit={() => mutation.mutate({ leadId: lead.leadId })}
    />
  );
}

function EraseDialog({ lead, onClose }: { lead: LeadDetail; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshLead(lead.leadId);
  const [word, setWord] = useState("");
  const confirmed = word.trim().toLocaleUpperCase("ro-RO") === t("lead.dialog.eraseWord");
  const mutation = useMutation(
    trpc.leads.gdprErase.mutationOptions({
      onSuccess: () => {
        toast.success(t("lead.done.erase"));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("lead.dialog.eraseTitle")}
      description={t("lead.dialog.eraseDescription")}
      pending={mutation.isPending}
      onClose={onClose}
      error={mutation.error}
      submitLabel={t("lead.dialog.eraseSubmit")}
      submitVariant="destructive"
      submitDisabled={!confirmed}
      onSubmit={() => confirmed && mutation.mutate({ leadId: lead.leadId, confirm: true })}
    >
      <FormField label={t("lead.dialog.eraseConfirm")}>
        {(control) => <Input {...control} value={word} onChange={(e) => setWord(e.target.value)} autoComplete="off" />}
      </FormField>
    </LeadDialog>
  );
}
