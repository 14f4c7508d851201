-- CreateTable
CREATE TABLE "dispatch_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "slot_start" TIMESTAMPTZ(6) NOT NULL,
    "job_id" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "total_eligible_leads" INTEGER NOT NULL DEFAULT 0,
    "dispatched_to_whatsapp" INTEGER NOT NULL DEFAULT 0,
    "dispatched_to_email" INTEGER NOT NULL DEFAULT 0,
    "skipped_quota_exceeded" INTEGER NOT NULL DEFAULT 0,
    "skipped_outside_hours" INTEGER NOT NULL DEFAULT 0,
    "skipped_no_channel" INTEGER NOT NULL DEFAULT 0,
    "skipped_human_review" INTEGER NOT NULL DEFAULT 0,
    "outcomes" JSONB NOT NULL DEFAULT '{}',
    "jobs_created" JSONB NOT NULL DEFAULT '[]',
    "processing_time_ms" INTEGER NOT NULL DEFAULT 0,
    "next_dispatch_at" TIMESTAMPTZ(6),

    CONSTRAINT "dispatch_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dispatch_runs_tenant_id_started_at_idx" ON "dispatch_runs"("tenant_id", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "dispatch_runs_tenant_id_slot_start_key" ON "dispatch_runs"("tenant_id", "slot_start");

-- AddForeignKey
ALTER TABLE "dispatch_runs" ADD CONSTRAINT "dispatch_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the same tenant isolation as every tenant-owned table
-- (prisma/migrations/*_tenant_isolation, docs/decisions/0002-tenant-isolation-rls.md).
ALTER TABLE dispatch_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dispatch_runs FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());
