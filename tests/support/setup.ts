/**
 * Runs before every test file (vitest `setupFiles`).
 *
 * Guard: no query is sent to a database connection that is still running another. That happens with
 * a `Promise.all` over the queries of one transaction (the client of `withTenantTransaction`/`pgDb`/
 * `withLockedRow`, or a Prisma `tx`); on one connection they run one after another anyway, pg 8.19+
 * deprecates it and pg 9 will refuse it. Await them one by one (lint rule
 * serial-queries/no-concurrent-queries catches the usual shapes; this catches what a test reaches).
 * pg itself warns only from the third query in flight, and once per process, so the check looks at
 * the connection's own state on every call; the warning is kept as a second net. A file whose code
 * did it fails in afterAll, with the stack of the call.
 */
import pg from "pg";
import { afterAll } from "vitest";

const seen: string[] = [];

/** pg.Client's own queue (pg 8.x, private): the query being run and the ones waiting behind it. */
type ClientState = { _activeQuery?: unknown; _queryQueue?: unknown[]; pipeline?: boolean };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client & ClientState, ...args: unknown[]) {
  if (!this.pipeline && (this._activeQuery || (this._queryQueue?.length ?? 0) > 0)) seen.push(new Error("query sent while the connection runs another").stack ?? "");
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const onWarning = (warning: Error) => {
  if (warning.message.includes("already executing a query")) seen.push(warning.stack ?? warning.message);
};
process.on("warning", onWarning);

afterAll(() => {
  // Undone per file, in case a worker process runs several files.
  pg.Client.prototype.query = query;
  process.off("warning", onWarning);
  if (seen.length > 0) throw new Error(`a query was sent to a connection still running another (await a transaction's queries one by one):\n${seen.slice(0, 3).join("\n")}`);
});
