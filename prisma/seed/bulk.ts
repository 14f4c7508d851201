import type pg from "pg";

/**
 * Inserts many rows with one statement per chunk: every column travels as one array parameter and
 * `unnest` turns them back into rows. ~10× faster than multi-row VALUES and needs no COPY stream.
 */
export interface ColumnSpec {
  name: string;
  /** Postgres array type for the parameter, e.g. "uuid[]", "text[]", "current_state_enum[]". */
  type: string;
}

export async function bulkInsert(
  client: pg.ClientBase,
  table: string,
  columns: ColumnSpec[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  chunkSize = 20_000,
): Promise<void> {
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  const params = columns.map((c, i) => `$${i + 1}::${c.type}`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${params})`;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const arrays = columns.map((_, ci) => chunk.map((row) => normalise(row[ci])));
    await client.query(sql, arrays);
  }
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  // jsonb columns travel as text inside the array and are cast by the column type.
  if (value !== null && typeof value === "object" && !(value instanceof Date) && !Array.isArray(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  return value;
}

/** A column of an object row: its name, its Postgres array type and how to read it from the row. */
export type ObjectColumn<T> = readonly [name: string, type: string, read: (row: T) => unknown];

/** bulkInsert for rows held as objects: each chunk's column arrays are read straight from the objects. */
export async function insertObjects<T>(client: pg.ClientBase, table: string, columns: ReadonlyArray<ObjectColumn<T>>, rows: readonly T[], chunkSize = 20_000): Promise<void> {
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const params = columns.map(([, type], i) => `$${i + 1}::${type}`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${params})`;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await client.query(sql, columns.map(([, , read]) => chunk.map((row) => normalise(read(row)))));
  }
}
