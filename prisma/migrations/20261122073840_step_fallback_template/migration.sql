-- AlterTable
ALTER TABLE "outreach_sequence_steps" ADD COLUMN     "fallback_template_id" UUID;

-- CreateIndex
CREATE INDEX "outreach_sequence_steps_tenant_id_fallback_template_id_idx" ON "outreach_sequence_steps"("tenant_id", "fallback_template_id");

-- AddForeignKey
ALTER TABLE "outreach_sequence_steps" ADD CONSTRAINT "outreach_sequence_steps_tenant_id_fallback_template_id_fkey" FOREIGN KEY ("tenant_id", "fallback_template_id") REFERENCES "outreach_templates"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;
