-- lead_list_views: saved filter sets of the leads list (issue 11: enroll from a saved leads filter).
-- Prisma wrote the table, indexes and keys; the part marked "hand-written" is what its datamodel
-- cannot express.

-- CreateTable
CREATE TABLE "lead_list_views" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "filters" JSONB NOT NULL DEFAULT '{}',
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_list_views_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lead_list_views_tenant_id_shared_idx" ON "lead_list_views"("tenant_id", "shared");

-- CreateIndex
CREATE UNIQUE INDEX "lead_list_views_tenant_id_id_key" ON "lead_list_views"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "lead_list_views_tenant_id_owner_id_name_key" ON "lead_list_views"("tenant_id", "owner_id", "name");

-- AddForeignKey
ALTER TABLE "lead_list_views" ADD CONSTRAINT "lead_list_views_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_list_views" ADD CONSTRAINT "lead_list_views_tenant_id_owner_id_fkey" FOREIGN KEY ("tenant_id", "owner_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── hand-written: tenant isolation and checks ─────────────────────────────────────────────────
ALTER TABLE lead_list_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_list_views FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE lead_list_views ADD CONSTRAINT lead_list_views_name CHECK (char_length(btrim(name)) BETWEEN 1 AND 80);
ALTER TABLE lead_list_views ADD CONSTRAINT lead_list_views_filters_object CHECK (jsonb_typeof(filters) = 'object');
