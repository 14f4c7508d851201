-- CreateEnum
CREATE TYPE "answer_source_enum" AS ENUM ('LLM', 'TEMPLATE', 'PERSON');

-- CreateEnum
CREATE TYPE "answer_mode_enum" AS ENUM ('AUTO', 'APPROVED', 'EDITED', 'MANUAL');

-- CreateEnum
CREATE TYPE "answer_status_enum" AS ENUM ('DRAFT', 'QUEUED', 'SENT', 'FAILED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "suggestion_status_enum" AS ENUM ('PENDING', 'ACCEPTED', 'DISMISSED');

-- DropIndex
DROP INDEX "human_review_queue_tenant_id_trigger_message_id_idx";

-- AlterTable
ALTER TABLE "gold_lead_journey" ADD COLUMN     "last_intent" TEXT;

-- AlterTable
ALTER TABLE "human_review_queue" ADD COLUMN     "answer_id" UUID,
ADD COLUMN     "sla_warned_at" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "auto_answer_daily_cap" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "offer_summary" TEXT,
ADD COLUMN     "review_auto_assign" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "review_rep_open_cap" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "sla_business_hours" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "slack_webhook_url" TEXT;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "review_available" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "reply_answers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "inbound_message_id" UUID,
    "idempotency_key" TEXT NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "source" "answer_source_enum" NOT NULL,
    "intent" TEXT,
    "status" "answer_status_enum" NOT NULL DEFAULT 'DRAFT',
    "mode" "answer_mode_enum",
    "phone_id" UUID,
    "created_by" UUID,
    "released_by" UUID,
    "released_at" TIMESTAMPTZ(6),
    "sent_at" TIMESTAMPTZ(6),
    "sent_message_id" UUID,
    "error_code" TEXT,
    "error_message" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reply_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_suggestions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "message_id" UUID,
    "name" TEXT,
    "role" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "status" "suggestion_status_enum" NOT NULL DEFAULT 'PENDING',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(6),
    "previous" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_notes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "review_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" TEXT,
    "review_id" UUID,
    "dedupe_key" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reply_answers_idempotency_key_key" ON "reply_answers"("idempotency_key");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_lead_id_released_at_idx" ON "reply_answers"("tenant_id", "lead_id", "released_at");

-- CreateIndex
CREATE INDEX "reply_answers_journey_id_idx" ON "reply_answers"("journey_id");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_inbound_message_id_idx" ON "reply_answers"("tenant_id", "inbound_message_id");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_sent_message_id_idx" ON "reply_answers"("tenant_id", "sent_message_id");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_phone_id_idx" ON "reply_answers"("tenant_id", "phone_id");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_created_by_idx" ON "reply_answers"("tenant_id", "created_by");

-- CreateIndex
CREATE INDEX "reply_answers_tenant_id_released_by_idx" ON "reply_answers"("tenant_id", "released_by");

-- CreateIndex
CREATE UNIQUE INDEX "reply_answers_tenant_id_id_key" ON "reply_answers"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "contact_suggestions_tenant_id_lead_id_status_idx" ON "contact_suggestions"("tenant_id", "lead_id", "status");

-- CreateIndex
CREATE INDEX "contact_suggestions_journey_id_idx" ON "contact_suggestions"("journey_id");

-- CreateIndex
CREATE INDEX "contact_suggestions_tenant_id_decided_by_idx" ON "contact_suggestions"("tenant_id", "decided_by");

-- CreateIndex
CREATE UNIQUE INDEX "contact_suggestions_tenant_id_message_id_key" ON "contact_suggestions"("tenant_id", "message_id");

-- CreateIndex
CREATE INDEX "review_notes_review_id_created_at_idx" ON "review_notes"("review_id", "created_at");

-- CreateIndex
CREATE INDEX "review_notes_tenant_id_author_id_idx" ON "review_notes"("tenant_id", "author_id");

-- CreateIndex
CREATE INDEX "notifications_tenant_id_user_id_created_at_idx" ON "notifications"("tenant_id", "user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "notifications_tenant_id_review_id_idx" ON "notifications"("tenant_id", "review_id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_tenant_id_user_id_dedupe_key_key" ON "notifications"("tenant_id", "user_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "human_review_queue_tenant_id_answer_id_idx" ON "human_review_queue"("tenant_id", "answer_id");

-- CreateIndex
CREATE UNIQUE INDEX "human_review_queue_tenant_id_id_key" ON "human_review_queue"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "human_review_queue_tenant_id_trigger_message_id_key" ON "human_review_queue"("tenant_id", "trigger_message_id");

-- AddForeignKey
ALTER TABLE "human_review_queue" ADD CONSTRAINT "human_review_queue_tenant_id_answer_id_fkey" FOREIGN KEY ("tenant_id", "answer_id") REFERENCES "reply_answers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_inbound_message_id_fkey" FOREIGN KEY ("tenant_id", "inbound_message_id") REFERENCES "gold_communication_log"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_sent_message_id_fkey" FOREIGN KEY ("tenant_id", "sent_message_id") REFERENCES "gold_communication_log"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_phone_id_fkey" FOREIGN KEY ("tenant_id", "phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_created_by_fkey" FOREIGN KEY ("tenant_id", "created_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_answers" ADD CONSTRAINT "reply_answers_tenant_id_released_by_fkey" FOREIGN KEY ("tenant_id", "released_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_suggestions" ADD CONSTRAINT "contact_suggestions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_suggestions" ADD CONSTRAINT "contact_suggestions_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_suggestions" ADD CONSTRAINT "contact_suggestions_tenant_id_lead_id_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "gold_companies"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_suggestions" ADD CONSTRAINT "contact_suggestions_tenant_id_message_id_fkey" FOREIGN KEY ("tenant_id", "message_id") REFERENCES "gold_communication_log"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_suggestions" ADD CONSTRAINT "contact_suggestions_tenant_id_decided_by_fkey" FOREIGN KEY ("tenant_id", "decided_by") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_notes" ADD CONSTRAINT "review_notes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_notes" ADD CONSTRAINT "review_notes_tenant_id_review_id_fkey" FOREIGN KEY ("tenant_id", "review_id") REFERENCES "human_review_queue"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_notes" ADD CONSTRAINT "review_notes_tenant_id_author_id_fkey" FOREIGN KEY ("tenant_id", "author_id") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_review_id_fkey" FOREIGN KEY ("tenant_id", "review_id") REFERENCES "human_review_queue"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the same tenant isolation as every tenant-owned table
-- (prisma/migrations/*_tenant_isolation, docs/decisions/0002-tenant-isolation-rls.md).
ALTER TABLE reply_answers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reply_answers FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE contact_suggestions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_suggestions FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE review_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON review_notes FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

-- Answers go out on WhatsApp (the lead's sticky phone) or as a warm email, never as a cold campaign.
ALTER TABLE reply_answers
  ADD CONSTRAINT reply_answers_channel_check CHECK (channel IN ('WHATSAPP', 'EMAIL_WARM')),
  ADD CONSTRAINT reply_answers_released_check CHECK ((status = 'DRAFT') = (mode IS NULL) OR status IN ('REJECTED', 'CANCELLED'));

ALTER TABLE tenants
  ADD CONSTRAINT tenants_review_settings_check CHECK (auto_answer_daily_cap >= 0 AND review_rep_open_cap >= 0);
