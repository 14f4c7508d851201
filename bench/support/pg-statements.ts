/**
 * BENCH_PG_STATEMENTS=1: where Postgres spent its time during a bench's measured phase, per statement
 * (pg_stat_statements). Only when the server was started with the library preloaded
 * (`-c shared_preload_libraries=pg_stat_statements`): the benches never restart a server to get it,
 * and the extension costs a few per cent of Postgres' CPU, so it is off unless asked for.
 */
import type pg from "pg";

export interface StatementProfile {
  /** Clears the counters of this database; false when pg_stat_statements is not available. */
  reset(): Promise<boolean>;
  /** The top statements since reset, as printable lines (calls, ms per call, share, rows, text). */
  report(top?: number, perUnit?: { name: string; count: number }): Promise<string[]>;
}

export function statementProfile(admin: pg.Client): StatementProfile {
  let available = false;
  return {
    async reset() {
      try {
        await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await admin.query("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)");
        available = true;
      } catch {
        available = false;
      }
      return available;
    },
    async report(top = 25, perUnit) {
      if (!available) return ["pg_stat_statements is not loaded in this server (start it with -c shared_preload_libraries=pg_stat_statements)"];
      const { rows } = await admin.query<{ calls: string; total: number; mean: number; rows: string; blks: string; query: string }>(
        `SELECT calls::text, total_exec_time + total_plan_time AS total, (total_exec_time + total_plan_time) / greatest(calls, 1) AS mean, rows::text,
                (shared_blks_hit + shared_blks_read + shared_blks_dirtied)::text AS blks, query
           FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total DESC LIMIT $1`,
        [top],
      );
      const sum = rows.reduce((s, r) => s + r.total, 0);
      return rows.map((r) => {
        const unit = perUnit ? `, ${(Number(r.calls) / Math.max(1, perUnit.count)).toFixed(2)} calls and ${(r.total / Math.max(1, perUnit.count)).toFixed(3)} ms per ${perUnit.name}` : "";
        return `${r.total.toFixed(0).padStart(7)} ms ${((100 * r.total) / Math.max(sum, 1e-9)).toFixed(1).padStart(5)} %  ${r.calls.padStart(7)} calls  ${r.mean.toFixed(3)} ms/call  ${r.rows} rows  ${r.blks} blocks${unit}  ${r.query.replace(/\s+/g, " ").slice(0, 220)}`;
      });
    },
  };
}
