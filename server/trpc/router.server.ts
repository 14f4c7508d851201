import { router } from "./init.server";
import { dashboardRouter } from "./routers/dashboard.server";
import { sessionRouter } from "./routers/session.server";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
