/**
 * Alerts (runbook §7): the bell's counts, the alerts page (open and history), acknowledge and resolve.
 * MANAGER and up: they are the ones the alerts are emailed to and who act on the runbook.
 */
import { acknowledgeAlert, alertCounts, getAlert, listAlerts, resolveAlert } from "../../alerts/alerts.server";
import { alertActionInput, alertActionOutput, alertCountsOutput, alertListInput, alertListOutput, alertView } from "../../alerts/schemas";
import { z } from "zod";
import { managerProcedure, router } from "../init.server";
import { rest } from "../rest";

export const alertsRouter = router({
  counts: managerProcedure
    .meta(rest("GET", "/alerts/counts", "Open and unacknowledged alerts by severity"))
    .output(alertCountsOutput)
    .query(({ ctx }) => ctx.db((tx) => alertCounts(tx))),

  list: managerProcedure
    .meta(rest("GET", "/alerts", "Open alerts (status OPEN) or the history (RESOLVED), newest first"))
    .input(alertListInput)
    .output(alertListOutput)
    .query(({ ctx, input }) => ctx.db((tx) => listAlerts(tx, input))),

  get: managerProcedure
    .meta(rest("GET", "/alerts/{alertId}", "One alert"))
    .input(z.object({ alertId: z.uuid() }))
    .output(alertView)
    .query(({ ctx, input }) => ctx.db((tx) => getAlert(tx, input.alertId))),

  acknowledge: managerProcedure
    .meta(rest("POST", "/alerts/{alertId}/acknowledge", "Acknowledge an alert (someone is on it)"))
    .input(alertActionInput)
    .output(alertActionOutput)
    .mutation(({ ctx, input }) => ctx.db((tx) => acknowledgeAlert(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, alertId: input.alertId }, ctx.clock()))),

  resolve: managerProcedure
    .meta(rest("POST", "/alerts/{alertId}/resolve", "Resolve an alert, with an optional note"))
    .input(alertActionInput)
    .output(alertActionOutput)
    .mutation(({ ctx, input }) => ctx.db((tx) => resolveAlert(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, alertId: input.alertId, note: input.note ?? null }, ctx.clock()))),
});
