import { router } from "./init.server";
import { dashboardRouter } from "./routers/dashboard.server";
import { leadsRouter } from "./routers/leads.server";
import { phonesRouter } from "./routers/phones.server";
import { pipelineRouter } from "./routers/pipeline.server";
import { sequencesRouter } from "./routers/sequences/router.server";
import { sessionRouter } from "./routers/session.server";
import { templatesRouter } from "./routers/templates/router.server";
import { alertsRouter } from "./routers/alerts.server";
import { apiKeysRouter } from "./routers/api-keys.server";
import { operationsRouter } from "./routers/operations/router.server";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
  phones: phonesRouter,
  templates: templatesRouter,
  sequences: sequencesRouter,
  leads: leadsRouter,
  pipeline: pipelineRouter,
  alerts: alertsRouter,
  operations: operationsRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
