import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";
// Type-only: the router's implementation (Prisma, Redis, providers) never reaches the browser bundle.
import type { AppRouter } from "#server/trpc/router.server";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;

export function createBrowserTrpcClient() {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] });
}

/** The tRPC error code of a failed call (`UNAUTHORIZED`, `FORBIDDEN`, …), or null for other failures. */
export function trpcErrorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (typeof data === "object" && data !== null && "code" in data && typeof data.code === "string") return data.code;
  }
  return null;
}
