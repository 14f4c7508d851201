import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "#server/trpc/router.server";
import { createTrpcContext } from "#server/trpc/context.server";
import { bossFrom } from "#server/http/load-context";

function handle(request: Request, context: unknown) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTrpcContext(request, bossFrom(context)),
  });
}

export const loader = ({ request, context }: LoaderFunctionArgs) => handle(request, context);
export const action = ({ request, context }: ActionFunctionArgs) => handle(request, context);
