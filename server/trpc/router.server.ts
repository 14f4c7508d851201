import { router } from "./init.server";
import { bulkRouter } from "./routers/bulk/router.server";
import { analyticsRouter } from "./routers/analytics/router.server";
import { dashboardRouter } from "./routers/dashboard.server";
import { importsRouter } from "./routers/imports/router.server";
import { doNotContactRouter } from "./routers/do-not-contact/router.server";
import { leadsRouter } from "./routers/leads/router.server";
import { leadViewsRouter } from "./routers/lead-views/router.server";
import { phonesRouter } from "./routers/phones.server";
import { notificationsRouter } from "./routers/notifications.server";
import { pipelineRouter } from "./routers/pipeline.server";
import { reviewsRouter } from "./routers/reviews/router.server";
import { sequencesRouter } from "./routers/sequences/router.server";
import { sessionRouter } from "./routers/session.server";
import { settingsRouter } from "./routers/settings/router.server";
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
  bulk: bulkRouter,
  leadViews: leadViewsRouter,
  imports: importsRouter,
  pipeline: pipelineRouter,
  doNotContact: doNotContactRouter,
  reviews: reviewsRouter,
  notifications: notificationsRouter,
  settings: settingsRouter,
  analytics: analyticsRouter,
  alerts: alertsRouter,
  operations: operationsRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
