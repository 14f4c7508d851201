-- AlterTable
ALTER TABLE "outreach_daily_stats" ADD COLUMN     "email_cold_positive_replies" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "email_opted_out" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "email_warm_positive_replies" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "leads_contacted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "leads_replied" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "opted_out_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "positive_replies_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "wa_opted_out" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "wa_positive_replies" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "gold_lead_journey_tenant_id_first_contact_at_idx" ON "gold_lead_journey"("tenant_id", "first_contact_at");
