/**
 * The organisation's people: invite (the one-time password is shown once, in the dialog, and never
 * again), change a role, deactivate or reactivate. Nobody is deleted. The server refuses changes to
 * one's own account and the removal of the last active administrator; the page says why.
 */
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Copy, UserPlus } from "lucide-react";
import { ROLES, type Role } from "#server/auth/roles";
import { Alert, AlertDescription, AlertTitle } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatDateTime, formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";

type User = RouterOutputs["settings"]["users"][number];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function UsersPanel({ selfId }: { selfId: string }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.settings.users.queryOptions());
  const changeRole = useMutation(trpc.settings.changeRole.mutationOptions());
  const setActive = useMutation(trpc.settings.setActive.mutationOptions());
  const [inviting, setInviting] = useState(false);
  const [confirm, setConfirm] = useState<User | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.users.queryKey() });

  const onRole = async (user: User, role: Role) => {
    try {
      await changeRole.mutateAsync({ userId: user.id, role });
      toast({ title: t("settings.users.roleChanged", { name: user.name, role: t(`role.${role}`) }) });
    } catch (error) {
      toast({ title: t(errorMessageKey(error)), variant: "error" });
    } finally {
      await refresh();
    }
  };

  return (
    <Card aria-labelledby="users-title">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle as="h2" id="users-title">
            {t("settings.users.title")}
          </CardTitle>
          <CardDescription>{t("settings.users.description")}</CardDescription>
        </div>
        <Button size="sm" onClick={() => setInviting(true)}>
          <UserPlus />
          {t("settings.users.invite")}
        </Button>
      </CardHeader>
      <CardContent>
        {users.isPending ? (
          <div aria-busy="true">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="my-2 h-9 w-full" />
            ))}
          </div>
        ) : users.isError ? (
          <ErrorState title={t("settings.users.error")} onRetry={() => void users.refetch()} retrying={users.isFetching} />
        ) : (
          <Table>
            <TableCaption className="sr-only">{t("settings.users.title")}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>{t("settings.users.name")}</TableHead>
                <TableHead>{t("settings.users.role")}</TableHead>
                <TableHead>{t("settings.users.workload")}</TableHead>
                <TableHead>{t("settings.users.lastLogin")}</TableHead>
                <TableHead>{t("settings.users.actions")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.map((u) => {
                const self = u.id === selfId;
                return (
                  <TableRow key={u.id} data-testid="user-row" className={u.isActive ? undefined : "text-muted-foreground"}>
                    <th scope="row" className="px-3 py-2.5 text-left font-normal">
                      <div className="font-medium">
                        {u.name}
                        {self ? <span className="ml-1 text-xs text-muted-foreground">({t("settings.users.you")})</span> : null}
                      </div>
                      <div className="text-xs text-muted-foreground">{u.email}</div>
                      {!u.isActive ? <Badge variant="outline">{t("settings.users.inactive")}</Badge> : null}
                    </th>
                    <TableCell>
                      <Select
                        className="w-44"
                        value={u.role}
                        disabled={self || !u.isActive || changeRole.isPending}
                        aria-label={t("settings.users.roleFor", { name: u.name })}
                        onChange={(e) => void onRole(u, e.target.value as Role)}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}`)}
                          </option>
                        ))}
                      </Select>
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-sm">{t("settings.users.workloadValue", { leads: formatNumber(u.assignedLeads, locale), reviews: formatNumber(u.openReviews, locale) })}</TableCell>
                    <TableCell className="whitespace-nowrap text-sm">{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t("settings.users.never")}</TableCell>
                    <TableCell>
                      {!self ? (
                        <Button variant={u.isActive ? "ghost" : "outline"} size="sm" onClick={() => setConfirm(u)} aria-label={t(u.isActive ? "settings.users.deactivateFor" : "settings.users.reactivateFor", { name: u.name })}>
                          {u.isActive ? t("settings.users.deactivate") : t("settings.users.reactivate")}
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </CardContent>
      {inviting ? <InviteDialog onClose={() => setInviting(false)} onDone={refresh} /> : null}
      {confirm ? (
        <Dialog open onOpenChange={(o) => !o && !setActive.isPending && setConfirm(null)}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>{t(confirm.isActive ? "settings.users.deactivateTitle" : "settings.users.reactivateTitle", { name: confirm.name })}</DialogTitle>
              <DialogDescription>
                {confirm.isActive
                  ? t("settings.users.deactivateDescription", { leads: formatNumber(confirm.assignedLeads, locale), reviews: formatNumber(confirm.openReviews, locale) })
                  : t("settings.users.reactivateDescription")}
              </DialogDescription>
            </DialogHeader>
            {setActive.error ? (
              <Alert variant="destructive">
                <AlertTriangle />
                <AlertDescription>{t(errorMessageKey(setActive.error))}</AlertDescription>
              </Alert>
            ) : null}
            <DialogFooter>
              <Button variant="outline" onClick={() => setConfirm(null)} disabled={setActive.isPending}>
                {t("common.cancel")}
              </Button>
              <Button
                variant={confirm.isActive ? "destructive" : "default"}
                disabled={setActive.isPending}
                onClick={async () => {
                  try {
                    const r = await setActive.mutateAsync({ userId: confirm.id, active: !confirm.isActive });
                    toast({ title: r.user.isActive ? t("settings.users.reactivated", { name: r.user.name }) : t("settings.users.deactivated", { name: r.user.name, count: r.sessionsEnded }) });
                    setConfirm(null);
                  } catch {
                    // Shown in the dialog.
                  } finally {
                    await refresh();
                  }
                }}
              >
                {setActive.isPending ? t("common.saving") : confirm.isActive ? t("settings.users.deactivate") : t("settings.users.reactivate")}
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      ) : null}
    </Card>
  );
}

function InviteDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<unknown> }) {
  const t = useT();
  const trpc = useTRPC();
  const invite = useMutation(trpc.settings.inviteUser.mutationOptions());
  const [form, setForm] = useState({ name: "", email: "", role: "SALES_REP" as Role, locale: "ro" as "ro" | "en" });
  const [submitted, setSubmitted] = useState(false);
  const [copied, setCopied] = useState(false);
  const nameError = form.name.trim().length < 2 ? t("settings.users.nameRequired") : null;
  const emailError = !EMAIL.test(form.email.trim()) ? t("settings.users.emailInvalid") : null;
  const result = invite.data;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (nameError || emailError) return;
    try {
      await invite.mutateAsync({ name: form.name.trim(), email: form.email.trim(), role: form.role, locale: form.locale });
      await onDone();
    } catch {
      // Shown in the dialog.
    }
  };

  return (
    <Dialog open onOpenChange={(o) => !o && !invite.isPending && onClose()}>
      <DialogContent>
        {result ? (
          <>
            <DialogHeader>
              <DialogTitle>{t("settings.users.invitedTitle", { name: result.user.name })}</DialogTitle>
              <DialogDescription>{t("settings.users.invitedDescription", { email: result.user.email })}</DialogDescription>
            </DialogHeader>
            <Alert variant="warning">
              <AlertTriangle />
              <AlertTitle>{t("settings.users.onceTitle")}</AlertTitle>
              <AlertDescription>{t("settings.users.once")}</AlertDescription>
            </Alert>
            <div className="flex items-center gap-2">
              <code className="flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-base" data-testid="one-time-password">
                {result.oneTimePassword}
              </code>
              <Button
                variant="outline"
                size="sm"
                onClick={() => {
                  void navigator.clipboard?.writeText(result.oneTimePassword).then(() => setCopied(true));
                }}
              >
                <Copy />
                {copied ? t("settings.users.copied") : t("settings.users.copy")}
              </Button>
            </div>
            <DialogFooter>
              <Button onClick={onClose}>{t("settings.users.done")}</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>{t("settings.users.inviteTitle")}</DialogTitle>
              <DialogDescription>{t("settings.users.inviteDescription")}</DialogDescription>
            </DialogHeader>
            <FormField label={t("settings.users.name")} required error={submitted ? nameError : null}>
              {(field) => <Input {...field} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" />}
            </FormField>
            <FormField label={t("login.email")} required error={submitted ? emailError : null}>
              {(field) => <Input {...field} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" />}
            </FormField>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label={t("settings.users.role")}>
                {(field) => (
                  <Select {...field} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </FormField>
              <FormField label={t("header.language")}>
                {(field) => (
                  <Select {...field} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value as "ro" | "en" })}>
                    <option value="ro">{t("header.languageRo")}</option>
                    <option value="en">{t("header.languageEn")}</option>
                  </Select>
                )}
              </FormField>
            </div>
            {invite.error ? (
              <Alert variant="destructive">
                <AlertTriangle />
                <AlertDescription>{t(errorMessageKey(invite.error))}</AlertDescription>
              </Alert>
            ) : null}
            <DialogFooter>
              <Button variant="outline" onClick={onClose} disabled={invite.isPending}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" disabled={invite.isPending}>
                {invite.isPending ? t("common.saving") : t("settings.users.inviteSubmit")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
