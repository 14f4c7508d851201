import { useEffect, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { CheckCircle2, TriangleAlert } from "lucide-react";
import { Progress } from "~/components/ui/progress";
import { formatNumber } from "~/lib/format";
import { useLocale, useT, type MessageKey, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";

export type Operation = RouterOutputs["bulk"]["status"];

/** How often a running operation is asked for its progress. */
const POLL_MS = 700;

/** The error formatter (server/trpc/init.server.ts) puts the domain code in `data.domainCode`. */
export function domainCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null && "domainCode" in data && typeof data.domainCode === "string" ? data.domainCode : null;
}

/** `prefix.error.<domain code>` when the dictionary has it, else `prefix.error.UNKNOWN`. */
export function errorMessage(t: Translate, prefix: "bulk" | "import" | "leadsList", code: string | null): string {
  const key = `${prefix}.error.${code ?? "UNKNOWN"}` as MessageKey;
  const text = t(key as "bulk.error.UNKNOWN");
  return text === key ? t(`${prefix === "leadsList" ? "bulk" : prefix}.error.UNKNOWN`) : text;
}

/** Polls a bulk operation (or an import) until it is DONE or FAILED; `onFinished` runs once then. */
export function useOperation(operationId: string | null, onFinished?: (op: Operation) => void) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.bulk.status.queryOptions({ operationId: operationId ?? "00000000-0000-4000-8000-000000000000" }),
    enabled: operationId !== null,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "DONE" || q.state.data.status === "FAILED") ? false : POLL_MS),
  });
  const notified = useRef<string | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => {
    const op = query.data;
    if (op && (op.status === "DONE" || op.status === "FAILED") && notified.current !== op.id) {
      notified.current = op.id;
      finished.current?.(op);
    }
  }, [query.data]);
  return query;
}

/** The bar while it runs; what happened once it is done (counts by outcome) or why nothing happened. */
export function OperationProgress({
  operation,
  label,
  runningKey,
  outcomeKey,
  failedText,
}: {
  operation: Operation | undefined;
  label: string;
  runningKey: "bulk.running" | "import.running";
  outcomeKey?: (outcome: string) => MessageKey;
  failedText: (op: Operation) => string;
}) {
  const t = useT();
  const locale = useLocale();
  if (!operation || operation.status === "QUEUED" || operation.status === "RUNNING") {
    const processed = operation?.processed ?? 0;
    const total = operation?.total ?? 0;
    const text = operation?.status === "RUNNING" ? t(runningKey, { processed: formatNumber(processed, locale), total: formatNumber(total, locale) }) : t("bulk.queued");
    return (
      <div className="grid gap-2" data-testid="operation-progress">
        <Progress value={processed} max={Math.max(total, 1)} label={label} valueText={text} />
        <p className="text-sm text-muted-foreground" role="status">
          {text}
        </p>
      </div>
    );
  }
  if (operation.status === "FAILED") {
    return (
      <div role="alert" className="flex gap-2 rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm" data-testid="operation-failed">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden="true" />
        <p>{failedText(operation)}</p>
      </div>
    );
  }
  const counts = Object.entries(operation.result ?? {}).filter(([, n]) => n > 0);
  return (
    <div className="grid gap-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm" role="status" data-testid="operation-done">
      <p className="flex items-center gap-2 font-medium text-emerald-900">
        <CheckCircle2 className="size-4" aria-hidden="true" />
        {t("bulk.doneTitle")}
      </p>
      <Progress value={operation.total} max={Math.max(operation.total, 1)} label={label} valueText={`${operation.total}`} indicatorClassName="bg-emerald-600" />
      {outcomeKey ? (
        <ul className="grid gap-0.5">
          {counts.map(([outcome, n]) => (
            <li key={outcome} className="flex justify-between gap-4">
              <span>{t(outcomeKey(outcome) as "bulk.outcome.DONE")}</span>
              <span className="font-medium tabular-nums">{formatNumber(n, locale)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
