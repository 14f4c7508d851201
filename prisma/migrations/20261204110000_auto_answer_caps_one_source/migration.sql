-- auto_answer_caps_one_source: the automatic-answer caps live in one place, the tenant row's columns.
-- The settings page used to save its caps under tenants.settings.autoAnswerCaps, which nothing read:
-- the reply worker read auto_answer_daily_cap (the review settings' column) and enforced no tenant cap.
-- Now both pages write the columns and the reply path reads them (server/settings/settings.server.ts,
-- server/review/settings.server.ts).

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "auto_answer_tenant_daily_cap" INTEGER NOT NULL DEFAULT 500;

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_released_at_idx" ON "reply_answers"("tenant_id", "released_at");

-- ─── hand-written: move what the settings page saved, then drop the unread JSON key ─────────────
-- The per-lead cap keeps the column's value (the one the reply worker has been enforcing); the tenant
-- cap had no column, so the settings page's value becomes it.
UPDATE tenants
   SET auto_answer_tenant_daily_cap = CASE
         WHEN jsonb_typeof(settings -> 'autoAnswerCaps' -> 'perTenantPerDay') = 'number'
          AND (settings -> 'autoAnswerCaps' ->> 'perTenantPerDay')::numeric BETWEEN 0 AND 100000
         THEN (settings -> 'autoAnswerCaps' ->> 'perTenantPerDay')::numeric::int
         ELSE auto_answer_tenant_daily_cap
       END,
       settings = settings - 'autoAnswerCaps'
 WHERE settings ? 'autoAnswerCaps';

ALTER TABLE tenants ADD CONSTRAINT tenants_auto_answer_tenant_cap_check CHECK (auto_answer_tenant_daily_cap >= 0);
