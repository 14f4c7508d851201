-- CreateEnum
CREATE TYPE "current_state_enum" AS ENUM ('COLD', 'CONTACTED_WA', 'CONTACTED_EMAIL', 'WARM_REPLY', 'NEGOTIATION', 'CONVERTED', 'DEAD', 'PAUSED');

-- CreateEnum
CREATE TYPE "channel_enum" AS ENUM ('WHATSAPP', 'EMAIL_COLD', 'EMAIL_WARM', 'PHONE', 'MANUAL');

-- CreateEnum
CREATE TYPE "message_direction_enum" AS ENUM ('OUTBOUND', 'INBOUND');

-- CreateEnum
CREATE TYPE "message_status_enum" AS ENUM ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'REPLIED', 'BOUNCED', 'FAILED', 'OPENED', 'CLICKED');

-- CreateEnum
CREATE TYPE "phone_status_enum" AS ENUM ('ACTIVE', 'PAUSED', 'OFFLINE', 'BANNED', 'RECONNECTING', 'QUARANTINE');

-- CreateEnum
CREATE TYPE "review_priority_enum" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'URGENT');

-- CreateEnum
CREATE TYPE "review_reason_enum" AS ENUM ('NEGATIVE_SENTIMENT', 'KEYWORD_TRIGGER', 'BOUNCE_DETECTED', 'COMPLAINT', 'MANUAL_FLAG', 'AI_UNCERTAIN');

-- CreateEnum
CREATE TYPE "user_role_enum" AS ENUM ('ADMIN', 'MANAGER', 'SALES_REP');

-- CreateEnum
CREATE TYPE "review_kind_enum" AS ENUM ('TRIAGE', 'APPROVAL');

-- CreateEnum
CREATE TYPE "review_status_enum" AS ENUM ('PENDING', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'ESCALATED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "review_resolution_enum" AS ENUM ('APPROVED', 'EDITED_AND_SENT', 'REJECTED', 'REPLIED_MANUALLY', 'TAKEN_OVER', 'NO_ACTION');

-- CreateEnum
CREATE TYPE "alert_severity_enum" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "webhook_provider_enum" AS ENUM ('TIMELINESAI', 'INSTANTLY', 'RESEND');

-- CreateEnum
CREATE TYPE "webhook_status_enum" AS ENUM ('RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED', 'REJECTED');

-- CreateEnum
CREATE TYPE "email_status_enum" AS ENUM ('VALID', 'INVALID', 'CATCH_ALL', 'RISKY', 'UNKNOWN', 'BOUNCED');

-- CreateEnum
CREATE TYPE "enrollment_status_enum" AS ENUM ('ACTIVE', 'PAUSED', 'COMPLETED', 'STOPPED');

-- CreateEnum
CREATE TYPE "auto_answer_mode_enum" AS ENUM ('OFF', 'APPROVAL', 'AUTO');

-- CreateEnum
CREATE TYPE "email_campaign_status_enum" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "dnc_type_enum" AS ENUM ('PHONE', 'EMAIL', 'DOMAIN');

-- CreateEnum
CREATE TYPE "actor_type_enum" AS ENUM ('USER', 'JOB', 'SYSTEM', 'WEBHOOK');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/Bucharest',
    "sending_days" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5]::INTEGER[],
    "sending_start_hour" INTEGER NOT NULL DEFAULT 9,
    "sending_end_hour" INTEGER NOT NULL DEFAULT 18,
    "wa_daily_quota" INTEGER NOT NULL DEFAULT 200,
    "jitter_min_seconds" INTEGER NOT NULL DEFAULT 30,
    "jitter_max_seconds" INTEGER NOT NULL DEFAULT 150,
    "bounce_threshold" DECIMAL(5,4) NOT NULL DEFAULT 0.03,
    "sentiment_auto_threshold" INTEGER NOT NULL DEFAULT 50,
    "sla_urgent_minutes" INTEGER NOT NULL DEFAULT 60,
    "sla_high_minutes" INTEGER NOT NULL DEFAULT 240,
    "sla_medium_minutes" INTEGER NOT NULL DEFAULT 1440,
    "sla_low_minutes" INTEGER NOT NULL DEFAULT 4320,
    "auto_answer_mode" "auto_answer_mode_enum" NOT NULL DEFAULT 'APPROVAL',
    "dispatch_batch_size" INTEGER NOT NULL DEFAULT 100,
    "timelinesai_webhook_secret" TEXT NOT NULL DEFAULT replace(((gen_random_uuid())::text || (gen_random_uuid())::text), '-'::text, ''::text),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role_enum" NOT NULL DEFAULT 'SALES_REP',
    "locale" TEXT NOT NULL DEFAULT 'ro',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "last_login_at" TIMESTAMPTZ(6),
    "failed_login_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(6),
    "user_agent" TEXT,
    "ip" TEXT,

    CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gold_companies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "denumire" TEXT NOT NULL,
    "cui" TEXT,
    "judet" TEXT,
    "localitate" TEXT,
    "adresa" TEXT,
    "telefon_principal" TEXT,
    "hlr_reachable" BOOLEAN,
    "email_principal" TEXT,
    "email_status" "email_status_enum" NOT NULL DEFAULT 'UNKNOWN',
    "contact_principal_nume" TEXT,
    "contact_principal_functie" TEXT,
    "cod_caen" TEXT,
    "suprafata_agricola_ha" DECIMAL(12,2),
    "website" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gold_companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gold_lead_journey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "assigned_phone_id" UUID,
    "assigned_at" TIMESTAMPTZ(6),
    "current_state" "current_state_enum" NOT NULL DEFAULT 'COLD',
    "previous_state" "current_state_enum",
    "state_changed_at" TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP,
    "state_change_reason" TEXT,
    "quota_consumption_date" VARCHAR(10),
    "is_new_contact" BOOLEAN NOT NULL DEFAULT true,
    "first_contact_channel" "channel_enum",
    "last_channel_used" "channel_enum",
    "preferred_channel" "channel_enum",
    "email_opted_out" BOOLEAN NOT NULL DEFAULT false,
    "whatsapp_opted_out" BOOLEAN NOT NULL DEFAULT false,
    "current_sequence_id" UUID,
    "sequence_step" INTEGER NOT NULL DEFAULT 0,
    "sequence_started_at" TIMESTAMPTZ(6),
    "sequence_paused" BOOLEAN NOT NULL DEFAULT false,
    "next_action_at" TIMESTAMPTZ(6),
    "next_action_reason" TEXT,
    "sentiment_score" INTEGER NOT NULL DEFAULT 0,
    "engagement_score" INTEGER NOT NULL DEFAULT 0,
    "reply_count" INTEGER NOT NULL DEFAULT 0,
    "open_count" INTEGER NOT NULL DEFAULT 0,
    "click_count" INTEGER NOT NULL DEFAULT 0,
    "requires_human_review" BOOLEAN NOT NULL DEFAULT false,
    "human_review_reason" "review_reason_enum",
    "human_review_priority" "review_priority_enum",
    "is_human_controlled" BOOLEAN NOT NULL DEFAULT false,
    "assigned_to_user" UUID,
    "first_contact_at" TIMESTAMPTZ(6),
    "last_contact_at" TIMESTAMPTZ(6),
    "last_reply_at" TIMESTAMPTZ(6),
    "last_open_at" TIMESTAMPTZ(6),
    "converted_at" TIMESTAMPTZ(6),
    "last_dispatch_outcome" JSONB,
    "last_dispatch_at" TIMESTAMPTZ(6),
    "tags" JSONB NOT NULL DEFAULT '[]',
    "custom_fields" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gold_lead_journey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gold_communication_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "direction" "message_direction_enum" NOT NULL,
    "status" "message_status_enum" NOT NULL DEFAULT 'QUEUED',
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
    "quota_cost" SMALLINT NOT NULL DEFAULT 0,
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
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "sent_at" TIMESTAMPTZ(6),
    "delivered_at" TIMESTAMPTZ(6),
    "read_at" TIMESTAMPTZ(6),
    "opened_at" TIMESTAMPTZ(6),
    "clicked_at" TIMESTAMPTZ(6),
    "replied_at" TIMESTAMPTZ(6),
    "bounced_at" TIMESTAMPTZ(6),
    "failed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gold_communication_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wa_phone_numbers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "timelinesai_account_id" TEXT NOT NULL,
    "status" "phone_status_enum" NOT NULL DEFAULT 'ACTIVE',
    "status_changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paused_reason" TEXT,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "daily_quota_limit" INTEGER NOT NULL DEFAULT 200,
    "reputation_score" INTEGER NOT NULL DEFAULT 100,
    "last_health_check_at" TIMESTAMPTZ(6),
    "last_connected_at" TIMESTAMPTZ(6),
    "last_disconnected_at" TIMESTAMPTZ(6),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(6),
    "last_message_sent_at" TIMESTAMPTZ(6),
    "messages_sent_total" INTEGER NOT NULL DEFAULT 0,
    "messages_failed_total" INTEGER NOT NULL DEFAULT 0,
    "ban_count" INTEGER NOT NULL DEFAULT 0,
    "last_banned_at" TIMESTAMPTZ(6),
    "quarantine_until" TIMESTAMPTZ(6),
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wa_phone_numbers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wa_quota_usage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "phone_id" UUID NOT NULL,
    "usage_date" DATE NOT NULL,
    "new_contacts_count" INTEGER NOT NULL DEFAULT 0,
    "followups_count" INTEGER NOT NULL DEFAULT 0,
    "first_message_at" TIMESTAMPTZ(6),
    "last_message_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wa_quota_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outreach_sequences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "channel" "channel_enum",
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outreach_sequences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outreach_sequence_steps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "sequence_id" UUID NOT NULL,
    "step_number" INTEGER NOT NULL,
    "name" TEXT,
    "channel" "channel_enum" NOT NULL,
    "template_id" UUID NOT NULL,
    "delay_hours" INTEGER NOT NULL DEFAULT 0,
    "delay_minutes" INTEGER NOT NULL DEFAULT 0,
    "stop_on_reply" BOOLEAN NOT NULL DEFAULT true,
    "respect_business_hours" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outreach_sequence_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence_enrollments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "sequence_id" UUID NOT NULL,
    "status" "enrollment_status_enum" NOT NULL DEFAULT 'ACTIVE',
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "next_step_at" TIMESTAMPTZ(6),
    "last_step_at" TIMESTAMPTZ(6),
    "paused_at" TIMESTAMPTZ(6),
    "stopped_reason" TEXT,
    "stopped_at" TIMESTAMPTZ(6),
    "enrolled_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sequence_enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outreach_templates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "subject" TEXT,
    "content" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '[]',
    "has_media" BOOLEAN NOT NULL DEFAULT false,
    "media_url" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outreach_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "template_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "version_number" INTEGER NOT NULL,
    "subject" TEXT,
    "content" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "sent_count" INTEGER NOT NULL DEFAULT 0,
    "delivered_count" INTEGER NOT NULL DEFAULT 0,
    "opened_count" INTEGER NOT NULL DEFAULT 0,
    "clicked_count" INTEGER NOT NULL DEFAULT 0,
    "replied_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "template_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "human_review_queue" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "kind" "review_kind_enum" NOT NULL DEFAULT 'TRIAGE',
    "reason" "review_reason_enum",
    "priority" "review_priority_enum" NOT NULL,
    "status" "review_status_enum" NOT NULL DEFAULT 'PENDING',
    "assigned_to_user" UUID,
    "assigned_at" TIMESTAMPTZ(6),
    "sla_due_at" TIMESTAMPTZ(6) NOT NULL,
    "sla_breached" BOOLEAN NOT NULL DEFAULT false,
    "sla_breached_at" TIMESTAMPTZ(6),
    "trigger_message_id" UUID,
    "ai_sentiment_score" INTEGER,
    "ai_intent" TEXT,
    "ai_analysis" JSONB,
    "drafted_answer" TEXT,
    "final_answer" TEXT,
    "resolution" "review_resolution_enum",
    "resolution_note" TEXT,
    "resolved_at" TIMESTAMPTZ(6),
    "resolved_by" UUID,
    "escalated_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "human_review_queue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outreach_daily_stats" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "wa_sent" INTEGER NOT NULL DEFAULT 0,
    "wa_delivered" INTEGER NOT NULL DEFAULT 0,
    "wa_read" INTEGER NOT NULL DEFAULT 0,
    "wa_replied" INTEGER NOT NULL DEFAULT 0,
    "wa_failed" INTEGER NOT NULL DEFAULT 0,
    "wa_new_contacts" INTEGER NOT NULL DEFAULT 0,
    "wa_followups" INTEGER NOT NULL DEFAULT 0,
    "email_cold_sent" INTEGER NOT NULL DEFAULT 0,
    "email_cold_delivered" INTEGER NOT NULL DEFAULT 0,
    "email_cold_opened" INTEGER NOT NULL DEFAULT 0,
    "email_cold_clicked" INTEGER NOT NULL DEFAULT 0,
    "email_cold_replied" INTEGER NOT NULL DEFAULT 0,
    "email_cold_bounced" INTEGER NOT NULL DEFAULT 0,
    "email_cold_complained" INTEGER NOT NULL DEFAULT 0,
    "email_warm_sent" INTEGER NOT NULL DEFAULT 0,
    "email_warm_delivered" INTEGER NOT NULL DEFAULT 0,
    "email_warm_opened" INTEGER NOT NULL DEFAULT 0,
    "email_warm_clicked" INTEGER NOT NULL DEFAULT 0,
    "email_warm_replied" INTEGER NOT NULL DEFAULT 0,
    "email_warm_bounced" INTEGER NOT NULL DEFAULT 0,
    "email_warm_complained" INTEGER NOT NULL DEFAULT 0,
    "new_contacts" INTEGER NOT NULL DEFAULT 0,
    "replies_total" INTEGER NOT NULL DEFAULT 0,
    "leads_converted" INTEGER NOT NULL DEFAULT 0,
    "reviews_created" INTEGER NOT NULL DEFAULT 0,
    "reviews_resolved" INTEGER NOT NULL DEFAULT 0,
    "sla_breaches" INTEGER NOT NULL DEFAULT 0,
    "emails_sent_for_bounce_rate" INTEGER NOT NULL DEFAULT 0,
    "emails_bounced_for_bounce_rate" INTEGER NOT NULL DEFAULT 0,
    "bounce_rate" DECIMAL(6,4) NOT NULL DEFAULT 0,
    "reply_rate" DECIMAL(6,4) NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outreach_daily_stats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "provider" "webhook_provider_enum" NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "raw_body" TEXT NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "status" "webhook_status_enum" NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(6),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_rejections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" "webhook_provider_enum",
    "reason" TEXT NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "body" TEXT NOT NULL,
    "remote_ip" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_state_history" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "from_state" "current_state_enum",
    "to_state" "current_state_enum" NOT NULL,
    "actor_type" "actor_type_enum" NOT NULL,
    "actor_id" TEXT,
    "reason" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_state_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "severity" "alert_severity_enum" NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "phone_id" UUID,
    "dedupe_key" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "acknowledged_at" TIMESTAMPTZ(6),
    "acknowledged_by" UUID,
    "resolved_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "instantly_campaign_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sequence_id" UUID,
    "step_number" INTEGER,
    "status" "email_campaign_status_enum" NOT NULL DEFAULT 'DRAFT',
    "instantly_status" INTEGER,
    "sent_count" INTEGER NOT NULL DEFAULT 0,
    "bounced_count" INTEGER NOT NULL DEFAULT 0,
    "opened_count" INTEGER NOT NULL DEFAULT 0,
    "replied_count" INTEGER NOT NULL DEFAULT 0,
    "bounce_rate" DECIMAL(6,4) NOT NULL DEFAULT 0,
    "paused_reason" TEXT,
    "paused_at" TIMESTAMPTZ(6),
    "last_synced_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "do_not_contact" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "type" "dnc_type_enum" NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT,
    "source" TEXT,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "do_not_contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "actor_type" "actor_type_enum" NOT NULL DEFAULT 'USER',
    "actor_user_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_timelinesai_webhook_secret_key" ON "tenants"("timelinesai_webhook_secret");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_tenant_id_role_idx" ON "users"("tenant_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_id_key" ON "users"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "user_sessions_token_hash_key" ON "user_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions"("user_id");

-- CreateIndex
CREATE INDEX "user_sessions_expires_at_idx" ON "user_sessions"("expires_at");

-- CreateIndex
CREATE INDEX "gold_companies_tenant_id_judet_idx" ON "gold_companies"("tenant_id", "judet");

-- CreateIndex
CREATE INDEX "gold_companies_tenant_id_telefon_principal_idx" ON "gold_companies"("tenant_id", "telefon_principal");

-- CreateIndex
CREATE INDEX "gold_companies_tenant_id_email_principal_idx" ON "gold_companies"("tenant_id", "email_principal");

-- CreateIndex
CREATE UNIQUE INDEX "gold_companies_tenant_id_id_key" ON "gold_companies"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "gold_companies_tenant_id_cui_key" ON "gold_companies"("tenant_id", "cui");

-- CreateIndex
CREATE INDEX "idx_lead_journey_tenant_state" ON "gold_lead_journey"("tenant_id", "current_state");

-- CreateIndex
CREATE INDEX "idx_lead_journey_phone" ON "gold_lead_journey"("assigned_phone_id");

-- CreateIndex
CREATE INDEX "idx_lead_journey_next_action" ON "gold_lead_journey"("next_action_at");

-- CreateIndex
CREATE INDEX "idx_lead_journey_review" ON "gold_lead_journey"("tenant_id", "requires_human_review");

-- CreateIndex
CREATE INDEX "idx_lead_journey_dispatch" ON "gold_lead_journey"("tenant_id", "current_state", "next_action_at");

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_assigned_to_user_idx" ON "gold_lead_journey"("tenant_id", "assigned_to_user");

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_current_sequence_id_idx" ON "gold_lead_journey"("tenant_id", "current_sequence_id");

-- CreateIndex
CREATE UNIQUE INDEX "gold_lead_journey_tenant_id_id_key" ON "gold_lead_journey"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "idx_unique_lead_journey" ON "gold_lead_journey"("tenant_id", "lead_id");

-- CreateIndex
CREATE UNIQUE INDEX "gold_communication_log_idempotency_key_key" ON "gold_communication_log"("idempotency_key");

-- CreateIndex
CREATE INDEX "gold_communication_log_journey_id_created_at_idx" ON "gold_communication_log"("journey_id", "created_at");

-- CreateIndex
CREATE INDEX "gold_communication_log_tenant_id_created_at_idx" ON "gold_communication_log"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "gold_communication_log_external_message_id_idx" ON "gold_communication_log"("external_message_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_thread_id_idx" ON "gold_communication_log"("thread_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_timelinesai_chat_id_idx" ON "gold_communication_log"("timelinesai_chat_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_phone_id_created_at_idx" ON "gold_communication_log"("phone_id", "created_at");

-- CreateIndex
CREATE INDEX "gold_communication_log_lead_id_idx" ON "gold_communication_log"("lead_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_sequence_id_idx" ON "gold_communication_log"("sequence_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_template_id_idx" ON "gold_communication_log"("template_id");

-- CreateIndex
CREATE INDEX "gold_communication_log_template_version_id_idx" ON "gold_communication_log"("template_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "gold_communication_log_tenant_id_id_key" ON "gold_communication_log"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "wa_phone_numbers_phone_number_key" ON "wa_phone_numbers"("phone_number");

-- CreateIndex
CREATE UNIQUE INDEX "wa_phone_numbers_timelinesai_account_id_key" ON "wa_phone_numbers"("timelinesai_account_id");

-- CreateIndex
CREATE INDEX "wa_phone_numbers_tenant_id_status_is_enabled_idx" ON "wa_phone_numbers"("tenant_id", "status", "is_enabled");

-- CreateIndex
CREATE UNIQUE INDEX "wa_phone_numbers_tenant_id_id_key" ON "wa_phone_numbers"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "wa_quota_usage_usage_date_idx" ON "wa_quota_usage"("usage_date" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "wa_quota_usage_phone_id_usage_date_key" ON "wa_quota_usage"("phone_id", "usage_date");

-- CreateIndex
CREATE INDEX "outreach_sequences_tenant_id_is_active_idx" ON "outreach_sequences"("tenant_id", "is_active");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_sequences_tenant_id_id_key" ON "outreach_sequences"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_sequences_tenant_id_name_key" ON "outreach_sequences"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "outreach_sequence_steps_tenant_id_template_id_idx" ON "outreach_sequence_steps"("tenant_id", "template_id");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_sequence_steps_sequence_id_step_number_key" ON "outreach_sequence_steps"("sequence_id", "step_number");

-- CreateIndex
CREATE INDEX "sequence_enrollments_lead_id_idx" ON "sequence_enrollments"("lead_id");

-- CreateIndex
CREATE INDEX "sequence_enrollments_tenant_id_status_next_step_at_idx" ON "sequence_enrollments"("tenant_id", "status", "next_step_at");

-- CreateIndex
CREATE INDEX "sequence_enrollments_tenant_id_sequence_id_status_idx" ON "sequence_enrollments"("tenant_id", "sequence_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "sequence_enrollments_journey_id_sequence_id_key" ON "sequence_enrollments"("journey_id", "sequence_id");

-- CreateIndex
CREATE INDEX "outreach_templates_tenant_id_channel_is_active_idx" ON "outreach_templates"("tenant_id", "channel", "is_active");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_templates_tenant_id_id_key" ON "outreach_templates"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_templates_tenant_id_name_key" ON "outreach_templates"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "template_versions_tenant_id_id_key" ON "template_versions"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "template_versions_template_id_version_number_key" ON "template_versions"("template_id", "version_number");

-- CreateIndex
CREATE INDEX "human_review_queue_tenant_id_status_priority_sla_due_at_idx" ON "human_review_queue"("tenant_id", "status", "priority", "sla_due_at");

-- CreateIndex
CREATE INDEX "human_review_queue_tenant_id_assigned_to_user_status_idx" ON "human_review_queue"("tenant_id", "assigned_to_user", "status");

-- CreateIndex
CREATE INDEX "human_review_queue_journey_id_idx" ON "human_review_queue"("journey_id");

-- CreateIndex
CREATE INDEX "human_review_queue_lead_id_idx" ON "human_review_queue"("lead_id");

-- CreateIndex
CREATE INDEX "human_review_queue_tenant_id_trigger_message_id_idx" ON "human_review_queue"("tenant_id", "trigger_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outreach_daily_stats_tenant_id_stat_date_key" ON "outreach_daily_stats"("tenant_id", "stat_date");

-- CreateIndex
CREATE INDEX "webhook_events_tenant_id_status_received_at_idx" ON "webhook_events"("tenant_id", "status", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_provider_provider_event_id_key" ON "webhook_events"("provider", "provider_event_id");

-- CreateIndex
CREATE INDEX "webhook_rejections_received_at_idx" ON "webhook_rejections"("received_at" DESC);

-- CreateIndex
CREATE INDEX "lead_state_history_journey_id_created_at_idx" ON "lead_state_history"("journey_id", "created_at");

-- CreateIndex
CREATE INDEX "lead_state_history_lead_id_idx" ON "lead_state_history"("lead_id");

-- CreateIndex
CREATE INDEX "lead_state_history_tenant_id_created_at_idx" ON "lead_state_history"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_tenant_id_resolved_at_created_at_idx" ON "alerts"("tenant_id", "resolved_at", "created_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_tenant_id_dedupe_key_idx" ON "alerts"("tenant_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "alerts_tenant_id_phone_id_idx" ON "alerts"("tenant_id", "phone_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_campaigns_instantly_campaign_id_key" ON "email_campaigns"("instantly_campaign_id");

-- CreateIndex
CREATE INDEX "email_campaigns_tenant_id_status_idx" ON "email_campaigns"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "email_campaigns_tenant_id_sequence_id_idx" ON "email_campaigns"("tenant_id", "sequence_id");

-- CreateIndex
CREATE UNIQUE INDEX "do_not_contact_tenant_id_type_value_key" ON "do_not_contact"("tenant_id", "type", "value");

-- CreateIndex
CREATE INDEX "audit_log_tenant_id_created_at_idx" ON "audit_log"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_log_tenant_id_entity_type_entity_id_idx" ON "audit_log"("tenant_id", "entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_companies" ADD CONSTRAINT "gold_companies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_lead_journey" ADD CONSTRAINT "gold_lead_journey_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_lead_journey" ADD CONSTRAINT "gold_lead_journey_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_lead_journey" ADD CONSTRAINT "gold_lead_journey_tenant_id_assigned_phone_id_fkey" FOREIGN KEY ("tenant_id", "assigned_phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_lead_journey" ADD CONSTRAINT "gold_lead_journey_tenant_id_current_sequence_id_fkey" FOREIGN KEY ("tenant_id", "current_sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_lead_journey" ADD CONSTRAINT "gold_lead_journey_tenant_id_assigned_to_user_fkey" FOREIGN KEY ("tenant_id", "assigned_to_user") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_phone_id_fkey" FOREIGN KEY ("tenant_id", "phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_sequence_id_fkey" FOREIGN KEY ("tenant_id", "sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "outreach_templates"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gold_communication_log" ADD CONSTRAINT "gold_communication_log_tenant_id_template_version_id_fkey" FOREIGN KEY ("tenant_id", "template_version_id") REFERENCES "template_versions"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wa_phone_numbers" ADD CONSTRAINT "wa_phone_numbers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wa_quota_usage" ADD CONSTRAINT "wa_quota_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wa_quota_usage" ADD CONSTRAINT "wa_quota_usage_tenant_id_phone_id_fkey" FOREIGN KEY ("tenant_id", "phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_sequences" ADD CONSTRAINT "outreach_sequences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_sequence_steps" ADD CONSTRAINT "outreach_sequence_steps_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_sequence_steps" ADD CONSTRAINT "outreach_sequence_steps_tenant_id_sequence_id_fkey" FOREIGN KEY ("tenant_id", "sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_sequence_steps" ADD CONSTRAINT "outreach_sequence_steps_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "outreach_templates"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence_enrollments" ADD CONSTRAINT "sequence_enrollments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence_enrollments" ADD CONSTRAINT "sequence_enrollments_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence_enrollments" ADD CONSTRAINT "sequence_enrollments_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence_enrollments" ADD CONSTRAINT "sequence_enrollments_tenant_id_sequence_id_fkey" FOREIGN KEY ("tenant_id", "sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_templates" ADD CONSTRAINT "outreach_templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "outreach_templates"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_assigned_to_user_fkey" FOREIGN KEY ("tenant_id", "assigned_to_user") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_resolved_by_fkey" FOREIGN KEY ("tenant_id", "resolved_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_trigger_message_id_fkey" FOREIGN KEY ("tenant_id", "trigger_message_id") REFERENCES "gold_communication_log"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_stats" ADD CONSTRAINT "outreach_daily_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_state_history" ADD CONSTRAINT "lead_state_history_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_state_history" ADD CONSTRAINT "lead_state_history_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_state_history" ADD CONSTRAINT "lead_state_history_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_phone_id_fkey" FOREIGN KEY ("tenant_id", "phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_acknowledged_by_fkey" FOREIGN KEY ("tenant_id", "acknowledged_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_campaigns" ADD CONSTRAINT "email_campaigns_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_campaigns" ADD CONSTRAINT "email_campaigns_tenant_id_sequence_id_fkey" FOREIGN KEY ("tenant_id", "sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "do_not_contact" ADD CONSTRAINT "do_not_contact_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "do_not_contact" ADD CONSTRAINT "do_not_contact_tenant_id_created_by_fkey" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_actor_user_id_fkey" FOREIGN KEY ("tenant_id", "actor_user_id") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;
