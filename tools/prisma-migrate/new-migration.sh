#!/usr/bin/env bash
# Author Prisma migrations offline, or check that prisma/migrations matches prisma/schema.prisma.
# Why this exists instead of `prisma migrate dev`: docs/decisions/0001-offline-migrations.md.
#
#   new-migration.sh <name>           diff migrations → schema; on change write
#                                     prisma/migrations/<utc yyyymmddhhmmss>_<name>/migration.sql
#   new-migration.sh --empty <name>   write an empty migration for hand-written SQL
#                                     (policies, functions, grants, data fixes)
#   new-migration.sh --check          exit 0 when the migrations produce exactly the schema,
#                                     1 and print the missing SQL when they do not
#
# The diff replays every migration into a scratch database, so it needs a Postgres role that may
# create databases: MIGRATION_SCRATCH_URL, else DATABASE_ADMIN_URL.
set -euo pipefail

usage() {
  # The comment block at the top of this file.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
tool_dir="tools/prisma-migrate"
migrations_dir="prisma/migrations"
schema="prisma/schema.prisma"

mode="author"
name=""
case "${1:-}" in
  --check) mode="check" ;;
  --empty) mode="empty"; name="${2:-}" ;;
  -h | --help | "") usage; exit 64 ;;
  -*) echo "unknown option: $1" >&2; usage; exit 64 ;;
  *) name="$1" ;;
esac

if [[ "$mode" != "check" ]] && ! [[ "$name" =~ ^[a-z0-9][a-z0-9_]{0,80}$ ]]; then
  echo "migration name must be lower-case letters, digits and underscores, e.g. add_alert_dedupe_key" >&2
  exit 64
fi

new_migration_folder() {
  local stamp latest folder
  stamp="$(date -u +%Y%m%d%H%M%S)"
  latest="$(find "$migrations_dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | tail -n 1)"
  # Migrations apply in name order; a stamp that does not sort last (two runs in one second, a
  # skewed clock) would apply out of order on a fresh database.
  if [[ -n "$latest" && ! "${stamp}_" > "$latest" ]]; then
    echo "refusing: new migration ${stamp}_${name} would not sort after ${latest}" >&2
    exit 1
  fi
  folder="$migrations_dir/${stamp}_${name}"
  mkdir -p "$folder"
  printf '%s' "$folder"
}

mkdir -p "$migrations_dir"
[[ -f "$migrations_dir/migration_lock.toml" ]] || printf 'provider = "postgresql"\n' >"$migrations_dir/migration_lock.toml"

if [[ "$mode" == "empty" ]]; then
  folder="$(new_migration_folder)"
  printf -- '-- %s: hand-written SQL. Prisma does not generate or diff what goes here.\n' "$name" >"$folder/migration.sql"
  echo "created $folder/migration.sql"
  exit 0
fi

admin_url="${MIGRATION_SCRATCH_URL:-${DATABASE_ADMIN_URL:-}}"
if [[ -z "$admin_url" ]]; then
  echo "set MIGRATION_SCRATCH_URL (or DATABASE_ADMIN_URL) to a Postgres URL whose role may CREATE DATABASE" >&2
  exit 64
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cerniq-migrate.XXXXXX")"
scratch_db="cerniq_migrate_scratch_$$_${RANDOM}"
cleanup() {
  node "$tool_dir/scratch-db.js" drop "$admin_url" "$scratch_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Prisma 6 requires `url` in the datasource and Prisma 7 forbids it: give Prisma 6 a copy with it.
sed -E '/^datasource[[:space:]]+db[[:space:]]*\{/,/^\}/ s/^([[:space:]]*provider[[:space:]]*=[[:space:]]*"postgresql".*)$/\1\n  url      = env("DATABASE_URL")/' \
  "$schema" >"$work/schema.prisma"
grep -q 'env("DATABASE_URL")' "$work/schema.prisma" || {
  echo "could not inject the datasource url into a copy of $schema" >&2
  exit 1
}

scratch_url="$(node "$tool_dir/scratch-db.js" create "$admin_url" "$scratch_db")"

set +e
# Engine paths must name an existing file or Prisma tries to download engines; the wasm engine is
# what actually runs (engine: "js" in the config).
DATABASE_URL="$scratch_url" \
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
  PRISMA_QUERY_ENGINE_LIBRARY=/bin/false \
  CHECKPOINT_DISABLE=1 \
  PRISMA_HIDE_UPDATE_MESSAGE=1 \
  node node_modules/prisma6/build/index.js migrate diff \
  --config "$tool_dir/prisma.config.ts" \
  --from-migrations "$migrations_dir" \
  --to-schema-datamodel "$work/schema.prisma" \
  --script --exit-code >"$work/diff.sql" 2>"$work/diff.log"
status=$?
set -e

case "$status" in
  0)
    echo "no schema changes: $migrations_dir matches $schema"
    exit 0
    ;;
  2) ;;
  *)
    echo "prisma migrate diff failed (exit $status):" >&2
    cat "$work/diff.log" "$work/diff.sql" >&2
    exit 1
    ;;
esac

if [[ "$mode" == "check" ]]; then
  echo "$migrations_dir does not match $schema; missing SQL:" >&2
  cat "$work/diff.sql" >&2
  echo "run: npm run db:new-migration <name>" >&2
  exit 1
fi

folder="$(new_migration_folder)"
cp "$work/diff.sql" "$folder/migration.sql"
echo "created $folder/migration.sql"
