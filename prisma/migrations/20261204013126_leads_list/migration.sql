-- leads_list: the leads list at a million leads (search, filters, sorts), bulk operations on leads and
-- CSV imports (issue 10). Prisma wrote the enums, tables, indexes and keys; the parts marked
-- "hand-written" are what its datamodel cannot express. docs/decisions/0009-leads-list.md has the reasons.

-- ─── hand-written: search without diacritics or case ──────────────────────────────────────────
-- Both are trusted extensions (PostgreSQL 13+): the database owner that runs migrations may create
-- them without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lower case without diacritics: "Ștefănești" → "stefanesti", "ŞTEFĂNEŞTI" (cedilla forms) too.
-- unaccent() is only STABLE (its dictionary could be edited), so generated columns and indexes
-- cannot use it; this wrapper names the dictionary explicitly and promises IMMUTABLE, which holds as
-- long as unaccent.rules is not edited (if it is: recompute search_text/name_key, reindex).
CREATE FUNCTION lead_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- The LIKE pattern that finds `term` anywhere in a folded text: folded the same way, with LIKE's
-- wildcards in the term taken literally.
CREATE FUNCTION lead_search_pattern(term text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(public.lead_fold(pg_catalog.btrim(term)),
             '\', '\\'), '%', '\%'), '_', '\_') || '%'
  $$;

-- The state's position in current_state_enum (COLD 0 … PAUSED 7); server/leads/list/state-codes.ts
-- holds the same table and a test compares the two.
CREATE FUNCTION lead_state_code(current_state_enum) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT CASE $1
      WHEN 'COLD' THEN 0 WHEN 'CONTACTED_WA' THEN 1 WHEN 'CONTACTED_EMAIL' THEN 2 WHEN 'WARM_REPLY' THEN 3
      WHEN 'NEGOTIATION' THEN 4 WHEN 'CONVERTED' THEN 5 WHEN 'DEAD' THEN 6 WHEN 'PAUSED' THEN 7
    END::smallint
  $$;

-- CreateEnum
CREATE TYPE "bulk_operation_kind_enum" AS ENUM ('ASSIGN', 'PAUSE', 'RESUME', 'ENROLL', 'MARK_DEAD', 'DO_NOT_CONTACT', 'IMPORT');

-- CreateEnum
CREATE TYPE "bulk_operation_status_enum" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- DropIndex
DROP INDEX "gold_lead_journey_tenant_id_assigned_to_user_idx";

-- AlterTable
ALTER TABLE "gold_companies" ADD COLUMN     "legal_basis" TEXT NOT NULL DEFAULT 'LEGITIMATE_INTEREST',
-- hand-written: GENERATED ALWAYS (Prisma's datamodel has no generated columns; the app never writes them).
ADD COLUMN     "name_key" TEXT GENERATED ALWAYS AS (lead_fold("denumire")) STORED,
ADD COLUMN     "search_text" TEXT GENERATED ALWAYS AS (lead_fold("denumire" || ' ' || coalesce("cui", '') || ' ' ||
                 coalesce("telefon_principal", '') || ' ' || coalesce("email_principal", ''))) STORED,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'GOLD_IMPORT';

-- AlterTable
-- hand-written: GENERATED ALWAYS. Row-level security admits only leakproof operators into index
-- conditions, and enum equality is not leakproof: a state filter on current_state can never use an
-- index for the app role, a filter on this smallint can. The function keeps the printed expression on
-- one line, which schema.prisma repeats as the column's dbgenerated default.
ALTER TABLE "gold_lead_journey" ADD COLUMN     "state_code" SMALLINT GENERATED ALWAYS AS (lead_state_code("current_state")) STORED;

-- CreateTable
CREATE TABLE "bulk_operations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "kind" "bulk_operation_kind_enum" NOT NULL,
    "status" "bulk_operation_status_enum" NOT NULL DEFAULT 'QUEUED',
    "created_by" UUID NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "lead_ids" UUID[],
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error_code" TEXT,
    "error_message" TEXT,
    "job_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulk_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '[]',
    "row_count" INTEGER NOT NULL,
    "mapping" JSONB,
    "report" JSONB,
    "operation_id" UUID,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bulk_operations_tenant_id_created_at_idx" ON "bulk_operations"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "bulk_operations_tenant_id_id_key" ON "bulk_operations"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "lead_imports_tenant_id_created_at_idx" ON "lead_imports"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "lead_imports_tenant_id_id_key" ON "lead_imports"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "lead_imports_tenant_id_operation_id_key" ON "lead_imports"("tenant_id", "operation_id");

-- CreateIndex
CREATE INDEX "gold_companies_tenant_id_name_key_id_idx" ON "gold_companies"("tenant_id", "name_key", "id");

-- CreateIndex
CREATE INDEX "gold_companies_search_text_trgm" ON "gold_companies" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_assigned_to_user_next_action_at_idx" ON "gold_lead_journey"("tenant_id", "assigned_to_user", "next_action_at", "id");

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_state_code_next_action_at_id_idx" ON "gold_lead_journey"("tenant_id", "state_code", "next_action_at", "id");

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_requires_human_review_next_acti_idx" ON "gold_lead_journey"("tenant_id", "requires_human_review", "next_action_at", "id");

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_next_action_at_id_idx" ON "gold_lead_journey"("tenant_id", "next_action_at", "id");

-- CreateIndex
-- hand-written: NULLS LAST (the sort puts never-contacted leads after the most recent contacts).
CREATE INDEX "gold_lead_journey_tenant_id_last_contact_at_id_idx" ON "gold_lead_journey"("tenant_id", "last_contact_at" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_sentiment_score_id_idx" ON "gold_lead_journey"("tenant_id", "sentiment_score", "id");

-- AddForeignKey
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_tenant_id_created_by_fkey" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_tenant_id_created_by_fkey" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_tenant_id_operation_id_fkey" FOREIGN KEY ("tenant_id", "operation_id") REFERENCES "bulk_operations"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- ─── hand-written: tenant isolation and checks for the new tables ──────────────────────────────
ALTER TABLE bulk_operations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bulk_operations FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE lead_imports ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_imports FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE bulk_operations ADD CONSTRAINT bulk_operations_progress CHECK (processed >= 0 AND processed <= total);
ALTER TABLE lead_imports ADD CONSTRAINT lead_imports_delimiter CHECK (delimiter IN (',', ';', E'\t'));
ALTER TABLE gold_companies ADD CONSTRAINT gold_companies_legal_basis
  CHECK (legal_basis IN ('LEGITIMATE_INTEREST', 'CONSENT', 'CONTRACT'));

-- ─── hand-written: the search's way to the trigram index ───────────────────────────────────────
-- Under row-level security a condition becomes an index condition only if its operator is
-- leakproof, and LIKE is not: for the app role the trigram index on search_text could never be used
-- and every search would read the whole table. This function runs as the owner (no RLS), pins the
-- tenant itself to the transaction's app.tenant_id, and answers one narrow question: the ids of this
-- tenant's companies whose search text contains the term (at most p_limit of them). Terms shorter
-- than 3 characters (no trigram) find nothing. Same conventions as the other SECURITY DEFINER
-- functions (tenant_isolation migration): pinned search_path, not executable by PUBLIC, granted to
-- the app role by the migration runner.
CREATE FUNCTION lead_search_ids(p_term text, p_limit integer) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.id FROM gold_companies c
     WHERE c.tenant_id = app_current_tenant_id()
       AND pg_catalog.length(lead_fold(pg_catalog.btrim(p_term))) >= 3
       AND c.search_text LIKE lead_search_pattern(p_term)
     LIMIT p_limit
  $$;
REVOKE ALL ON FUNCTION lead_search_ids(text, integer) FROM PUBLIC;
