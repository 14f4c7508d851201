import { router } from "./init.server";
import { dashboardRouter } from "./routers/dashboard.server";
import { phonesRouter } from "./routers/phones.server";
import { sessionRouter } from "./routers/session.server";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
  phones: phonesRouter,
});

export type AppRouter = typeof appRouter;
