/**
 * Prisma's pg adapter with each interactive transaction's statements sent one at a time.
 *
 * A transaction is one pg connection. Prisma's query interpreter (7.10) loads the relations of a
 * read (`select`/`include` of two or more relations) with `Promise.all` over child queries, so a
 * single `tx.x.findUnique(...)` inside `withTenant` can call `client.query()` on that connection
 * while another query of it is still running. pg 8.19+ queues it with a DeprecationWarning ("already
 * executing a query"); pg 9 will refuse it. Our own code awaits a transaction's queries one by one
 * (tests/support/setup.ts fails a run that warns); this closes the part we cannot reach, in the
 * order the queries were issued, as pg's own queue did. Pool queries (outside a transaction) each
 * take their own connection and are left concurrent. Drop this when @prisma/adapter-pg serializes
 * itself (prisma/orm#29979, open as of 7.10.0).
 */
import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** The transaction's calls that talk to its connection; each waits for the one before it. */
const IN_TURN: ReadonlySet<PropertyKey> = new Set(["queryRaw", "executeRaw", "commit", "rollback", "createSavepoint", "rollbackToSavepoint", "releaseSavepoint"]);

function inTurn(tx: Transaction): Transaction {
  let last: Promise<unknown> = Promise.resolve();
  return new Proxy(tx, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!IN_TURN.has(key)) return method.bind(target);
      return (...args: unknown[]) => {
        // A failed statement does not block the next one (Prisma decides what a failure means).
        const result = last.then(() => method.apply(target, args));
        last = result.catch(() => undefined);
        return result;
      };
    },
  });
}

export class PrismaPgSerialTransactions extends PrismaPg {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    return new Proxy(adapter, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (key === "startTransaction") return async (...args: Parameters<Adapter["startTransaction"]>) => inTurn(await target.startTransaction(...args));
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}
