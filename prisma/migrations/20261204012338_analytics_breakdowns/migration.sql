-- AlterTable
ALTER TABLE "outreach_sequences" ADD COLUMN     "archived_at" TIMESTAMPTZ(6),
ADD COLUMN     "paused_at" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "sequence_enrollments" ADD COLUMN     "paused_by_sequence" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "outreach_daily_step_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "sequence_id" UUID NOT NULL,
    "step_number" INTEGER NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,
    "positive_replies" INTEGER NOT NULL DEFAULT 0,
    "bounced" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_step_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","sequence_id","step_number","channel")
);

-- CreateTable
CREATE TABLE "outreach_daily_template_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "template_id" UUID NOT NULL,
    "template_version_id" UUID NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,
    "positive_replies" INTEGER NOT NULL DEFAULT 0,
    "bounced" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_template_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","template_version_id")
);

-- CreateTable
CREATE TABLE "outreach_daily_phone_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "phone_id" UUID NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "new_contacts" INTEGER NOT NULL DEFAULT 0,
    "followups" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "read" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,
    "positive_replies" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_phone_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","phone_id")
);

-- CreateTable
CREATE TABLE "outreach_daily_rep_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "user_id" UUID NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,
    "positive_replies" INTEGER NOT NULL DEFAULT 0,
    "converted" INTEGER NOT NULL DEFAULT 0,
    "reviews_resolved" INTEGER NOT NULL DEFAULT 0,
    "reviews_resolved_in_sla" INTEGER NOT NULL DEFAULT 0,
    "reviews_breached" INTEGER NOT NULL DEFAULT 0,
    "review_resolve_seconds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_rep_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","user_id")
);

-- CreateTable
CREATE TABLE "outreach_daily_campaign_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "campaign_id" UUID NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,
    "bounced" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_campaign_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","campaign_id")
);

-- CreateTable
CREATE TABLE "outreach_daily_channel_stats" (
    "tenant_id" UUID NOT NULL,
    "stat_date" DATE NOT NULL,
    "channel" "channel_enum" NOT NULL,
    "first_replies" INTEGER NOT NULL DEFAULT 0,
    "first_reply_seconds" BIGINT NOT NULL DEFAULT 0,
    "first_replies_within_1h" INTEGER NOT NULL DEFAULT 0,
    "first_replies_within_4h" INTEGER NOT NULL DEFAULT 0,
    "first_replies_within_24h" INTEGER NOT NULL DEFAULT 0,
    "first_replies_within_72h" INTEGER NOT NULL DEFAULT 0,
    "conversions" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outreach_daily_channel_stats_pkey" PRIMARY KEY ("tenant_id","stat_date","channel")
);

-- CreateIndex
CREATE INDEX "outreach_daily_step_stats_tenant_id_sequence_id_idx" ON "outreach_daily_step_stats"("tenant_id", "sequence_id");

-- CreateIndex
CREATE INDEX "outreach_daily_template_stats_tenant_id_template_id_idx" ON "outreach_daily_template_stats"("tenant_id", "template_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_campaigns_tenant_id_id_key" ON "email_campaigns"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "outreach_daily_step_stats" ADD CONSTRAINT "outreach_daily_step_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_step_stats" ADD CONSTRAINT "outreach_daily_step_stats_tenant_id_sequence_id_fkey" FOREIGN KEY ("tenant_id", "sequence_id") REFERENCES "outreach_sequences"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_template_stats" ADD CONSTRAINT "outreach_daily_template_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_template_stats" ADD CONSTRAINT "outreach_daily_template_stats_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "outreach_templates"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_template_stats" ADD CONSTRAINT "outreach_daily_template_stats_tenant_id_template_version_i_fkey" FOREIGN KEY ("tenant_id", "template_version_id") REFERENCES "template_versions"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_phone_stats" ADD CONSTRAINT "outreach_daily_phone_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_phone_stats" ADD CONSTRAINT "outreach_daily_phone_stats_tenant_id_phone_id_fkey" FOREIGN KEY ("tenant_id", "phone_id") REFERENCES "wa_phone_numbers"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_rep_stats" ADD CONSTRAINT "outreach_daily_rep_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_rep_stats" ADD CONSTRAINT "outreach_daily_rep_stats_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_campaign_stats" ADD CONSTRAINT "outreach_daily_campaign_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_campaign_stats" ADD CONSTRAINT "outreach_daily_campaign_stats_tenant_id_campaign_id_fkey" FOREIGN KEY ("tenant_id", "campaign_id") REFERENCES "email_campaigns"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outreach_daily_channel_stats" ADD CONSTRAINT "outreach_daily_channel_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the same tenant isolation as every tenant-owned table
-- (prisma/migrations/*_tenant_isolation, docs/decisions/0002-tenant-isolation-rls.md).
ALTER TABLE outreach_daily_step_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_step_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_template_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_template_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_phone_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_phone_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_rep_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_rep_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_campaign_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_campaign_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_channel_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_channel_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

-- Counts are counts.
ALTER TABLE outreach_daily_step_stats ADD CONSTRAINT outreach_daily_step_stats_counts_check
  CHECK (sent >= 0 AND delivered >= 0 AND opened >= 0 AND clicked >= 0 AND replied >= 0 AND positive_replies >= 0 AND bounced >= 0 AND failed >= 0);
ALTER TABLE outreach_daily_template_stats ADD CONSTRAINT outreach_daily_template_stats_counts_check
  CHECK (sent >= 0 AND delivered >= 0 AND opened >= 0 AND clicked >= 0 AND replied >= 0 AND positive_replies >= 0 AND bounced >= 0 AND failed >= 0);
