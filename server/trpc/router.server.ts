import { router } from "./init.server";
import { analyticsRouter } from "./routers/analytics/router.server";
import { dashboardRouter } from "./routers/dashboard.server";
import { leadsRouter } from "./routers/leads.server";
import { phonesRouter } from "./routers/phones.server";
import { pipelineRouter } from "./routers/pipeline.server";
import { sequencesRouter } from "./routers/sequences/router.server";
import { sessionRouter } from "./routers/session.server";
import { settingsRouter } from "./routers/settings/router.server";
import { templatesRouter } from "./routers/templates/router.server";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
  phones: phonesRouter,
  templates: templatesRouter,
  sequences: sequencesRouter,
  leads: leadsRouter,
  pipeline: pipelineRouter,
  settings: settingsRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
