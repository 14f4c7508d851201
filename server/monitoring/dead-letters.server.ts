/**
 * Dead letters (seeds: workers overview §6.2, alert threshold 100; runbook §7.1 `dlq:overflow`, HIGH,
 * 15 minutes): more than 100 of a tenant's jobs waiting in the dead-letter queue raises the alert;
 * back at or under the threshold it is resolved. People work the queue on the operations page
 * (inspect, retry, discard: server/pipeline/dead-letters.server.ts).
 */
import { raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import { withTenant } from "../db/client.server";
import type { Clock } from "../clock";
import { DLQ_ALERT_THRESHOLD, dlqOverflow } from "./rules";

export async function checkDeadLetters(deps: { clock: Clock }, tenantId: string, count: number, bySource: Record<string, number>): Promise<{ count: number; alerted: boolean }> {
  const now = deps.clock();
  return withTenant(tenantId, async (tx) => {
    if (!dlqOverflow(count)) {
      await resolveAlertByKey(tx, { tenantId, dedupeKey: "dlq:overflow", note: `${count} mesaje în coada de erori (prag ${DLQ_ALERT_THRESHOLD})` }, now);
      return { count, alerted: false };
    }
    const sources = Object.entries(bySource).sort((a, b) => b[1] - a[1]).map(([q, n]) => `${q}: ${n}`).join(", ");
    const r = await raiseAlert(
      tx,
      {
        tenantId,
        type: "dlq:overflow",
        title: `${count} joburi în coada de erori`,
        message: `Peste pragul de ${DLQ_ALERT_THRESHOLD} (${sources}). Verificați cauza în Operațiuni → Coada de erori, apoi reîncercați sau renunțați.`,
        dedupeKey: "dlq:overflow",
        metadata: { count, threshold: DLQ_ALERT_THRESHOLD, bySource },
      },
      now,
    );
    return { count, alerted: r.raised };
  });
}
