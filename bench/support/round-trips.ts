/**
 * Queries this process sends to Postgres, counted where every `pg` client sends them (the app's pools,
 * pg-boss's, dispatch's Prisma-free paths): each query is one round trip, a multi-statement simple
 * query included. A count, not a time, so it says what a change to the send path did whatever the
 * machine's load; Prisma's own engine connections are not `pg` clients and are not counted.
 */
import pg from "pg";

/** Starts counting the queries of every client but `excluded` (the bench's own); returns the running count. */
export function countRoundTrips(excluded: readonly pg.Client[]): () => number {
  let count = 0;
  const skip = new Set<unknown>(excluded);
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (!skip.has(this)) count++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return () => count;
}
