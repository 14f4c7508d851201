/**
 * leads.import: a validated CSV import (server/leads/import/run.server.ts), all rows in one
 * transaction. As with leads.bulk, the handler records a failure on the operation itself; a retry only
 * follows a crash, whose transaction wrote nothing.
 */
import { systemClock } from "../../server/clock";
import { runImport } from "../../server/leads/import/run.server";
import { logEvent } from "../../server/observability/logger.server";
import { defineJob } from "../definition";
import { LEADS_IMPORT_QUEUE, leadsImportPayload } from "../queues";

export const leadsImportJob = defineJob({
  name: LEADS_IMPORT_QUEUE,
  payload: leadsImportPayload,
  policy: "standard",
  retryLimit: 1,
  retryDelaySeconds: 5,
  retryBackoff: false,
  expireInSeconds: 15 * 60,
  heartbeatSeconds: 30,
  localConcurrency: 1,
  async handler(data, { jobId }) {
    const started = performance.now();
    const result = await runImport({ clock: systemClock }, data);
    logEvent(result.status === "FAILED" ? "warn" : "info", {
      worker: LEADS_IMPORT_QUEUE,
      jobId,
      action: `leads.import.${result.status.toLowerCase()}`,
      duration: Math.round(performance.now() - started),
      ...(result.status === "FAILED" ? { error: { code: result.code, message: result.message } } : {}),
      metadata: { operationId: data.operationId, importId: data.importId, ...(result.status === "DONE" ? { imported: result.imported } : {}) },
    });
    return result;
  },
});
