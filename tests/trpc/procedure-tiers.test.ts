import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "../../server/trpc/router.server";
import { createCallerFactory } from "../../server/trpc/init.server";

/**
 * Every procedure must sit behind a tier. Walks the whole router, so a procedure added later without
 * `signedInProcedure`/`repProcedure`/… fails here.
 */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);

async function callAnonymously(path: string, type: string): Promise<unknown> {
  const caller = createCallerFactory(appRouter)({ user: null, requestId: "test", ip: null, boss: null });
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  if (typeof target !== "function") throw new Error(`not callable: ${path} (${type})`);
  return (target as (input: unknown) => Promise<unknown>)(undefined);
}

describe("procedure tiers", () => {
  it("the router has procedures", () => {
    expect(procedures.length).toBeGreaterThan(0);
  });

  it.each(procedures.map(([path, p]) => [path, p._def.type] as const))("%s (%s) rejects anonymous callers", async (path, type) => {
    if (type === "subscription") return;
    const error = await callAnonymously(path, type).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});
