import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { mutationErrorMessageKey } from "~/components/phones/phone-model";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { ErrorState } from "~/components/ui/error-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useToast } from "~/components/ui/toast";
import { formatDateTime } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";

/**
 * REST API keys (issue 12 item 5): create (the key is shown once, here, and never again), list with
 * the last use, revoke. Admins only, as the procedures.
 */
export function ApiKeys() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"READ" | "WRITE">("READ");
  const [created, setCreated] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (r) => {
        setCreated(r.key);
        setName("");
      },
      onSettled: () => refresh(),
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: (k) => toast({ title: t("ops.keys.revoked", { name: k.name }) }),
      onError: (error) => toast({ title: t(mutationErrorMessageKey(error)), variant: "error" }),
      onSettled: () => refresh(),
    }),
  );

  return (
    <div className="grid gap-4">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border bg-card p-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim().length >= 2 && !create.isPending) create.mutate({ name: name.trim(), scope, role: "MANAGER" });
        }}
      >
        <div className="grid min-w-48 flex-1 gap-1.5">
          <Label htmlFor="api-key-name">{t("ops.keys.name")}</Label>
          <Input id="api-key-name" value={name} minLength={2} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder={t("ops.keys.namePlaceholder")} />
        </div>
        <fieldset className="grid gap-1.5">
          <legend className="mb-1.5 text-sm font-medium">{t("ops.keys.scope")}</legend>
          <div className="flex gap-3 text-sm">
            {(["READ", "WRITE"] as const).map((s) => (
              <label key={s} className="flex items-center gap-1.5">
                <input type="radio" name="api-key-scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
                {t(`ops.keys.scope.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Button type="submit" size="sm" disabled={create.isPending || name.trim().length < 2}>
          {create.isPending ? t("common.saving") : t("ops.keys.create")}
        </Button>
      </form>
      {create.error ? (
        <Alert variant="destructive">
          <AlertDescription>{t(mutationErrorMessageKey(create.error))}</AlertDescription>
        </Alert>
      ) : null}
      {created ? (
        <Alert variant="warning">
          <AlertDescription>
            <p className="font-medium">{t("ops.keys.shownOnce")}</p>
            <code className="mt-1 block break-all rounded bg-muted px-2 py-1 text-xs" data-testid="api-key-secret">
              {created}
            </code>
          </AlertDescription>
        </Alert>
      ) : null}

      {list.isPending ? (
        <Skeleton className="h-20 w-full" />
      ) : list.isError ? (
        <ErrorState title={t("ops.keys.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t("ops.keys.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border bg-card">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t("ops.keys.name")}</TableHead>
                <TableHead>{t("ops.keys.scope")}</TableHead>
                <TableHead>{t("ops.keys.lastUsed")}</TableHead>
                <TableHead className="text-right">{t("ops.dlq.actions")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.map((k) => (
                <TableRow key={k.id}>
                  <TableCell>
                    <span className="font-medium">{k.name}</span>
                    <span className="block font-mono text-xs text-muted-foreground">{k.prefix}…</span>
                  </TableCell>
                  <TableCell>
                    <Badge variant={k.scope === "WRITE" ? "warning" : "secondary"}>{t(`ops.keys.scope.${k.scope}`)}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-sm">{k.lastUsedAt ? formatDateTime(k.lastUsedAt, locale) : t("ops.never")}</TableCell>
                  <TableCell className="text-right">
                    {k.revokedAt ? (
                      <Badge variant="outline">{t("ops.keys.revokedAt", { time: formatDateTime(k.revokedAt, locale) })}</Badge>
                    ) : (
                      <Button size="sm" variant="ghost" className="text-destructive" disabled={revoke.isPending} onClick={() => revoke.mutate({ apiKeyId: k.id })}>
                        {t("ops.keys.revoke")}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
