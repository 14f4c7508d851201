/**
 * Load-independent costs of a bench's measured phase, from Postgres' own counters: statements, shared
 * buffers touched and dirtied, WAL bytes, table rows written and the index entries those writes made,
 * and how many updates of the hot tables were HOT (no index entry at all). CPU milliseconds move with
 * whatever else runs on the machine; these do not, so they are what a change to the hot path is judged by.
 *
 * Statements, buffers dirtied and WAL come from pg_stat_statements when the server preloads it
 * (`-c shared_preload_libraries=pg_stat_statements`); without it, statements are the database's
 * transactions, buffers its hits and reads (pg_stat_database, no "dirtied"), WAL the LSN's advance
 * (the whole server). Index entries are computed per table as (inserted + updated − HOT-updated rows) ×
 * its indexes. Partial indexes are counted apart, as an upper bound: a row whose values fail the
 * predicate adds no entry, and the counters cannot tell which rows did (the send path's partial
 * indexes are on values its writes leave empty; see the README's Send throughput). Table
 * counters reach pg_stat_user_tables within a second of a transaction; over a 30 s run that is noise.
 */
import type pg from "pg";

interface TableCounters {
  inserted: number;
  updated: number;
  hotUpdated: number;
  indexes: number;
  partialIndexes: number;
}

export interface CounterSnapshot {
  statements: number | null;
  transactions: number;
  buffersTouched: number;
  buffersDirtied: number | null;
  walBytes: number;
  lsn: string;
  tables: Map<string, TableCounters>;
}

export interface PerUnitCosts {
  statements: number | null;
  transactions: number;
  buffersTouched: number;
  buffersDirtied: number | null;
  walBytes: number;
  rowsWritten: number;
  /** Entries in the written tables' full (non-partial) indexes. */
  indexEntries: number;
  /** At most this many more, in partial indexes (each write counted as if it met the predicate). */
  partialIndexEntriesAtMost: number;
  /** Per table written: rows inserted, updated, the HOT share of the updates and index entries, per unit. */
  tables: Record<string, { inserted: number; updated: number; hotPercent: number | null; indexEntries: number }>;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

export async function countersNow(admin: pg.Client): Promise<CounterSnapshot> {
  // Make this backend's own pending counters visible first (the others flush within a second).
  await admin.query("SELECT pg_stat_force_next_flush()").catch(() => undefined);
  const db = (
    await admin.query<{ xact: string; blks: string; lsn: string }>(
      `SELECT (xact_commit + xact_rollback)::text AS xact, (blks_hit + blks_read)::text AS blks, pg_current_wal_lsn()::text AS lsn
         FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows[0]!;
  let statements: number | null = null;
  let dirtied: number | null = null;
  let touched = Number(db.blks);
  let wal: number | null = null;
  try {
    // The view exists once the extension is created in this database; it answers only when preloaded.
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const s = (
      await admin.query<{ calls: string; touched: string; dirtied: string; wal: string }>(
        `SELECT coalesce(sum(calls), 0)::text AS calls, coalesce(sum(shared_blks_hit + shared_blks_read), 0)::text AS touched,
                coalesce(sum(shared_blks_dirtied), 0)::text AS dirtied, coalesce(sum(wal_bytes), 0)::text AS wal
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows[0]!;
    statements = Number(s.calls);
    touched = Number(s.touched);
    dirtied = Number(s.dirtied);
    wal = Number(s.wal);
  } catch {
    // pg_stat_statements not loaded: the database-wide figures above.
  }
  const { rows } = await admin.query<{ name: string; ins: string; upd: string; hot: string; indexes: number; partial: number }>(
    `SELECT t.schemaname || '.' || t.relname AS name, t.n_tup_ins::text AS ins, t.n_tup_upd::text AS upd, t.n_tup_hot_upd::text AS hot,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid AND i.indpred IS NULL)::int AS indexes,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid AND i.indpred IS NOT NULL)::int AS partial
       FROM pg_stat_user_tables t`,
  );
  const tables = new Map(rows.map((r) => [r.name, { inserted: Number(r.ins), updated: Number(r.upd), hotUpdated: Number(r.hot), indexes: r.indexes, partialIndexes: r.partial }]));
  return { statements, transactions: Number(db.xact), buffersTouched: touched, buffersDirtied: dirtied, walBytes: wal ?? 0, lsn: db.lsn, tables };
}

/** The costs between two snapshots, per unit (e.g. per message sent). */
export async function costsPer(admin: pg.Client, a: CounterSnapshot, b: CounterSnapshot, units: number): Promise<PerUnitCosts> {
  const n = Math.max(1, units);
  const walBytes =
    b.statements !== null && a.statements !== null
      ? b.walBytes - a.walBytes
      : Number((await admin.query<{ d: string }>(`SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS d`, [b.lsn, a.lsn])).rows[0]!.d);
  let rowsWritten = 0;
  let indexEntries = 0;
  let partialAtMost = 0;
  const tables: PerUnitCosts["tables"] = {};
  for (const [name, after] of b.tables) {
    const before = a.tables.get(name);
    const inserted = after.inserted - (before ? before.inserted : 0);
    const updated = after.updated - (before ? before.updated : 0);
    const hot = after.hotUpdated - (before ? before.hotUpdated : 0);
    if (inserted + updated === 0) continue;
    const entries = (inserted + updated - hot) * after.indexes;
    rowsWritten += inserted + updated;
    indexEntries += entries;
    partialAtMost += (inserted + updated - hot) * after.partialIndexes;
    tables[name] = { inserted: round(inserted / n, 2), updated: round(updated / n, 2), hotPercent: updated > 0 ? round((100 * hot) / updated, 1) : null, indexEntries: round(entries / n, 2) };
  }
  const per = (x: number | null, d = 2) => (x === null ? null : round(x / n, d));
  return {
    statements: a.statements !== null && b.statements !== null ? per(b.statements - a.statements) : null,
    transactions: per(b.transactions - a.transactions)!,
    buffersTouched: per(b.buffersTouched - a.buffersTouched, 1)!,
    buffersDirtied: a.buffersDirtied !== null && b.buffersDirtied !== null ? per(b.buffersDirtied - a.buffersDirtied, 2) : null,
    walBytes: Math.round(walBytes / n),
    rowsWritten: round(rowsWritten / n, 2),
    indexEntries: round(indexEntries / n, 2),
    partialIndexEntriesAtMost: round(partialAtMost / n, 2),
    tables,
  };
}

/** Printable lines: the totals, then the tables written, most index entries first. */
export function describeCosts(c: PerUnitCosts, unit: string): string[] {
  const head =
    `per ${unit}: ${c.statements ?? "?"} statements (${c.transactions} transactions), ${c.buffersTouched} buffers touched, ${c.buffersDirtied ?? "?"} dirtied, ` +
    `${c.walBytes.toLocaleString("en")} WAL bytes, ${c.rowsWritten} rows written, ${c.indexEntries} index entries ` +
    `(full indexes; at most ${c.partialIndexEntriesAtMost} more in partial ones)`;
  const rows = Object.entries(c.tables)
    .sort((x, y) => y[1].indexEntries - x[1].indexEntries)
    .slice(0, 10)
    .map(([name, t]) => `  ${name}: ${t.inserted} inserted, ${t.updated} updated (${t.hotPercent ?? "-"} % HOT), ${t.indexEntries} index entries`);
  return [head, ...rows];
}
