-- CreateEnum
CREATE TYPE "api_key_scope_enum" AS ENUM ('READ', 'WRITE');

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "notified_at" TIMESTAMPTZ(6),
ADD COLUMN     "notify_error" TEXT,
ADD COLUMN     "occurrences" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "resolution_note" TEXT,
ADD COLUMN     "resolved_by" UUID;

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scope" "api_key_scope_enum" NOT NULL,
    "role" "user_role_enum" NOT NULL DEFAULT 'MANAGER',
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "revoked_by" UUID,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gold_communication_log_archive" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "direction" "message_direction_enum" NOT NULL,
    "status" "message_status_enum" NOT NULL,
    "external_message_id" TEXT,
    "thread_id" TEXT,
    "timelinesai_message_uid" TEXT,
    "timelinesai_chat_id" TEXT,
    "instantly_lead_id" TEXT,
    "instantly_campaign_id" TEXT,
    "resend_email_id" TEXT,
    "idempotency_key" TEXT,
    "recipient" TEXT,
    "subject" TEXT,
    "content_preview" VARCHAR(500),
    "content_hash" VARCHAR(64),
    "quota_cost" SMALLINT NOT NULL,
    "phone_id" UUID,
    "sequence_id" UUID,
    "sequence_step" INTEGER,
    "template_id" UUID,
    "template_version_id" UUID,
    "sentiment_score" INTEGER,
    "intent" TEXT,
    "analysis" JSONB,
    "raw_request" JSONB,
    "raw_response" JSONB,
    "error_code" TEXT,
    "error_message" TEXT,
    "metadata" JSONB NOT NULL,
    "sent_at" TIMESTAMPTZ(6),
    "delivered_at" TIMESTAMPTZ(6),
    "read_at" TIMESTAMPTZ(6),
    "opened_at" TIMESTAMPTZ(6),
    "clicked_at" TIMESTAMPTZ(6),
    "replied_at" TIMESTAMPTZ(6),
    "bounced_at" TIMESTAMPTZ(6),
    "failed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "archived_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gold_communication_log_archive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitor_runs" (
    "monitor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "finished_at" TIMESTAMPTZ(6),
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "monitor_runs_pkey" PRIMARY KEY ("monitor")
);

-- CreateTable
CREATE TABLE "provider_health" (
    "provider" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'UP',
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "first_failure_at" TIMESTAMPTZ(6),
    "last_failure_at" TIMESTAMPTZ(6),
    "last_success_at" TIMESTAMPTZ(6),
    "last_error" TEXT,
    "next_probe_at" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_health_pkey" PRIMARY KEY ("provider")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_created_at_idx" ON "api_keys"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_tenant_id_id_key" ON "api_keys"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "gold_communication_log_archive_tenant_id_created_at_idx" ON "gold_communication_log_archive"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "gold_communication_log_archive_lead_id_idx" ON "gold_communication_log_archive"("lead_id");

-- CreateIndex
CREATE INDEX "alerts_notified_at_idx" ON "alerts"("notified_at");

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_resolved_by_fkey" FOREIGN KEY ("tenant_id", "resolved_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_created_by_fkey" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_revoked_by_fkey" FOREIGN KEY ("tenant_id", "revoked_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log_archive" ADD CONSTRAINT "gold_communication_log_archive_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── Hand-written (issue 12) ───────────────────────────────────────────────────────────────────
-- Tenant isolation for the two new tenant-owned tables (prisma/migrations/*_tenant_isolation,
-- docs/decisions/0002-tenant-isolation-rls.md). monitor_runs and provider_health are global on
-- purpose (tests/db/rls.test.ts lists them with their reason).
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE gold_communication_log_archive ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON gold_communication_log_archive FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE alerts
  ADD CONSTRAINT alerts_occurrences_check CHECK (occurrences >= 1);
ALTER TABLE gold_communication_log_archive
  ADD CONSTRAINT gold_communication_log_archive_quota_cost_check CHECK (quota_cost IN (0, 1));

-- REST API key → the key's tenant and rights, before a tenant is known (like auth_session_lookup).
-- Only keys that are not revoked, of an active tenant.
CREATE FUNCTION auth_api_key_lookup(p_key_hash text)
  RETURNS TABLE (key_id uuid, tenant_id uuid, tenant_name text, name text, scope api_key_scope_enum,
                 role user_role_enum, created_by uuid, creator_name text, creator_email text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT k.id, k.tenant_id, t.name, k.name, k.scope, k.role, k.created_by, u.name, u.email
    FROM api_keys k
    JOIN tenants t ON t.id = k.tenant_id AND t.is_active
    JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.created_by
    WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
  $$;

-- /metrics (operators' Prometheus): counts across every tenant, labelled by the tenant's slug.
-- Aggregates only, never a row's content. The messages count includes the archive, so the total
-- does not drop when old rows move there (runbook §8.1).
CREATE FUNCTION system_ops_metrics()
  RETURNS TABLE (metric text, labels jsonb, value double precision)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    WITH messages AS (
      SELECT tenant_id, channel, direction, status FROM gold_communication_log
      UNION ALL
      SELECT tenant_id, channel, direction, status FROM gold_communication_log_archive
    )
    SELECT 'messages_total', jsonb_build_object('tenant', t.slug, 'channel', m.channel, 'direction', m.direction, 'status', m.status), count(*)::float8
    FROM messages m JOIN tenants t ON t.id = m.tenant_id
    GROUP BY t.slug, m.channel, m.direction, m.status
    UNION ALL
    -- Reply rate over the last 7 days: inbound messages per outbound message handed to a provider.
    SELECT 'reply_rate', jsonb_build_object('tenant', t.slug, 'channel', r.channel),
           COALESCE(r.inbound::float8 / NULLIF(r.outbound, 0), 0)
    FROM (
      SELECT tenant_id, channel,
             count(*) FILTER (WHERE direction = 'INBOUND') AS inbound,
             count(*) FILTER (WHERE direction = 'OUTBOUND' AND status NOT IN ('QUEUED', 'FAILED')) AS outbound
      FROM gold_communication_log
      WHERE created_at > now() - interval '7 days' AND channel IN ('WHATSAPP', 'EMAIL_COLD', 'EMAIL_WARM')
      GROUP BY tenant_id, channel
    ) r JOIN tenants t ON t.id = r.tenant_id
    UNION ALL
    SELECT 'webhook_events_total', jsonb_build_object('provider', e.provider, 'status', e.status), count(*)::float8
    FROM webhook_events e GROUP BY e.provider, e.status
    UNION ALL
    SELECT 'webhook_rejections_total', jsonb_build_object('provider', COALESCE(w.provider::text, 'unknown')), count(*)::float8
    FROM webhook_rejections w GROUP BY w.provider
    UNION ALL
    SELECT 'classifications_total',
           jsonb_build_object('tenant', t.slug, 'channel', c.channel, 'intent', COALESCE(c.intent, 'none'),
                              'sentiment', CASE WHEN c.sentiment_score >= 50 THEN 'positive' WHEN c.sentiment_score >= 0 THEN 'neutral' ELSE 'negative' END),
           count(*)::float8
    FROM gold_communication_log c JOIN tenants t ON t.id = c.tenant_id
    WHERE c.direction = 'INBOUND' AND c.sentiment_score IS NOT NULL
    GROUP BY t.slug, c.channel, c.intent,
             CASE WHEN c.sentiment_score >= 50 THEN 'positive' WHEN c.sentiment_score >= 0 THEN 'neutral' ELSE 'negative' END
    UNION ALL
    SELECT 'alerts_open', jsonb_build_object('tenant', t.slug, 'type', a.type, 'severity', a.severity), count(*)::float8
    FROM alerts a JOIN tenants t ON t.id = a.tenant_id
    WHERE a.resolved_at IS NULL GROUP BY t.slug, a.type, a.severity
    UNION ALL
    SELECT 'reviews_open', jsonb_build_object('tenant', t.slug, 'priority', h.priority, 'breached', (h.sla_due_at < now())::text), count(*)::float8
    FROM human_review_queue h JOIN tenants t ON t.id = h.tenant_id
    WHERE h.status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS', 'ESCALATED') GROUP BY t.slug, h.priority, (h.sla_due_at < now())
  $$;

REVOKE ALL ON FUNCTION auth_api_key_lookup(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION system_ops_metrics() FROM PUBLIC;
