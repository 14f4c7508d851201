import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { PgBoss } from "pg-boss";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { DomainError, type DomainErrorKind } from "../errors";
import { withTenant, type TenantTx, type TenantTxOptions } from "../db/client.server";
import { roleAtLeast, type Role, type SessionUser } from "../auth/roles";
import { logEvent } from "../observability/logger.server";
import type { Actor } from "../audit/actor";
import { systemClock, type Clock } from "../clock";

export interface TrpcContext {
  user: SessionUser | null;
  requestId: string;
  ip: string | null;
  /** The process's started pg-boss, for procedures that enqueue or cancel jobs; null in a web-only test. */
  boss: PgBoss | null;
  /** Injected time (tests); the system clock when absent. */
  clock?: Clock;
  /**
   * Set when the caller is a REST API key (server/api/): `user` is then the admin who issued it, with
   * the key's role; the key's scope limits it to queries (READ) or lets it mutate too (WRITE).
   */
  apiKey?: ApiKeyCaller | null;
}

export interface ApiKeyCaller {
  id: string;
  name: string;
  scope: "READ" | "WRITE";
}

const KIND_TO_TRPC: Record<DomainErrorKind, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

// `meta` carries the REST mapping of a procedure (server/trpc/openapi.ts `rest(…)`): the same
// procedures serve /api/trpc for the app and /api/v1/outreach/* for API keys (docs/decisions/0013).
const t = initTRPC.context<TrpcContext>().meta<OpenApiMeta>().create({
  // Dates (and Maps/Sets) survive the wire as what the output schemas say they are.
  transformer: superjson,
  // One place maps errors to what clients see: the domain code (which the UI translates), and zod
  // issues flattened so forms can show them per field.
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        domainCode: cause instanceof DomainError ? cause.code : null,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
      },
    };
  },
});

/** Turns domain errors thrown anywhere below a procedure into typed tRPC errors. */
const domainErrors = t.middleware(async ({ next, path, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: KIND_TO_TRPC[cause.kind], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      logEvent("error", {
        action: "trpc.error",
        requestId: ctx.requestId,
        tenantId: ctx.user?.tenantId,
        error: { code: "INTERNAL", message: result.error.message, stack: result.error.stack },
        metadata: { path },
      });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

export interface AuthedContext extends TrpcContext {
  user: SessionUser;
  /** The signed-in person, as use cases record them (history, audit). */
  actor: Actor & { type: "USER" };
  clock: Clock;
  /** Runs fn in a transaction bound to the caller's tenant by row-level security (a long one may raise its timeout). */
  db: <T>(fn: (tx: TenantTx) => Promise<T>, options?: TenantTxOptions) => Promise<T>;
}

function requireRole(required: Role | null) {
  return t.middleware(({ ctx, next, type }) => {
    const user = ctx.user;
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required" });
    if (required && !roleAtLeast(user.role, required)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Requires role ${required}` });
    }
    if (ctx.apiKey && type !== "query" && ctx.apiKey.scope !== "WRITE") {
      throw new TRPCError({ code: "FORBIDDEN", message: "This API key may only read (scope READ)", cause: new DomainError("FORBIDDEN", "API_KEY_READ_ONLY", "this API key may only read") });
    }
    const authed: AuthedContext = {
      ...ctx,
      user,
      actor: { type: "USER", userId: user.id, role: user.role, ip: ctx.ip, ...(ctx.apiKey ? { via: `api-key:${ctx.apiKey.name}` } : {}) },
      clock: ctx.clock ?? systemClock,
      db: (fn, options) => withTenant(user.tenantId, fn, options),
    };
    return next({ ctx: authed });
  });
}

/** Tiers: signed in → SALES_REP → MANAGER → ADMIN. Every procedure uses exactly one of these. */
export const signedInProcedure = publicProcedure.use(requireRole(null));
export const repProcedure = publicProcedure.use(requireRole("SALES_REP"));
export const managerProcedure = publicProcedure.use(requireRole("MANAGER"));
export const adminProcedure = publicProcedure.use(requireRole("ADMIN"));
