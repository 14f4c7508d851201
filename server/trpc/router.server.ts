import { router } from "./init.server";
import { sessionRouter } from "./routers/session.server";

export const appRouter = router({
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
