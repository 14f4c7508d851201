import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { getSessionUser } from "../auth/session.server";
import type { TrpcContext } from "./init.server";

export async function createTrpcContext(request: Request, boss: PgBoss | null): Promise<TrpcContext> {
  return {
    user: await getSessionUser(request),
    requestId: request.headers.get("x-request-id") ?? randomUUID(),
    ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
    boss,
  };
}
