-- AlterTable
ALTER TABLE "gold_companies" ADD COLUMN     "gdpr_erased_at" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "lead_decisions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "stage" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "outcome" JSONB NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "lead_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_notes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "journey_id" UUID NOT NULL,
    "author_id" UUID,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lead_decisions_journey_id_at_idx" ON "lead_decisions"("journey_id", "at" DESC);

-- CreateIndex
CREATE INDEX "lead_notes_journey_id_created_at_idx" ON "lead_notes"("journey_id", "created_at");

-- CreateIndex
CREATE INDEX "lead_notes_tenant_id_author_id_idx" ON "lead_notes"("tenant_id", "author_id");

-- AddForeignKey
ALTER TABLE "lead_decisions" ADD CONSTRAINT "lead_decisions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_decisions" ADD CONSTRAINT "lead_decisions_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_tenant_id_journey_id_fkey" FOREIGN KEY ("tenant_id", "journey_id") REFERENCES "gold_lead_journey"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_tenant_id_author_id_fkey" FOREIGN KEY ("tenant_id", "author_id") REFERENCES "users"("tenant_id", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- ─── Hand-written (docs/decisions/0001: what the datamodel cannot express) ─────────────────────

-- The same tenant isolation as every tenant-owned table (docs/decisions/0002-tenant-isolation-rls.md).
ALTER TABLE lead_decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_decisions FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE lead_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_notes FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

-- ─── Do-not-contact keys (server/dnc/keys.ts is the same rule in TypeScript; a test holds them equal) ──
-- A phone's key is E.164: '+' and the digits, with Romania's national forms made international
-- (0722 123 456, 0040 722 …, 40722 … → +40722123456). The list stores keys, so a number written any of
-- these ways on a lead matches the entry through the unique index (tenant_id, type, value).
CREATE FUNCTION dnc_phone_key(raw text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT '+' || nullif(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(
             coalesce(raw, ''), '[^0-9]', '', 'g'), '^0040', '40'), '^0([0-9]{9})$', '40\1'), '')
  $$;

-- An entry kept after a GDPR erasure holds only the SHA-256 of its key (server/leads/gdpr-erase.server.ts):
-- enough to recognise the person if they are imported again, nothing to read back.
CREATE FUNCTION dnc_hashed(key text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'sha256:' || pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(key, 'UTF8')), 'hex') $$;

-- Every entry is stored as its key, whoever writes it (the list page, an import, an opt-out webhook, the
-- seed): a BEFORE trigger normalises the value, so the unique index both deduplicates and finds entries.
-- Hashed entries (GDPR) are left as they are.
CREATE FUNCTION do_not_contact_normalize() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF NEW.value NOT LIKE 'sha256:%' THEN
      NEW.value := CASE NEW.type
        WHEN 'PHONE' THEN public.dnc_phone_key(NEW.value)
        WHEN 'EMAIL' THEN lower(btrim(NEW.value))
        ELSE regexp_replace(regexp_replace(lower(btrim(NEW.value)), '^@', ''), '^www\.', '')
      END;
      IF NEW.value IS NULL OR NEW.value = '' THEN
        RAISE EXCEPTION 'do_not_contact: empty % value', NEW.type USING ERRCODE = 'check_violation';
      END IF;
    END IF;
    RETURN NEW;
  END $$;

-- Entries written before this migration: duplicates by key removed (the oldest kept), the rest normalised.
DELETE FROM do_not_contact a USING do_not_contact b
 WHERE a.tenant_id = b.tenant_id AND a.type = b.type AND a.value NOT LIKE 'sha256:%' AND b.value NOT LIKE 'sha256:%'
   AND (a.created_at, a.id) > (b.created_at, b.id)
   AND CASE a.type WHEN 'PHONE' THEN dnc_phone_key(a.value) ELSE lower(btrim(a.value)) END
     = CASE b.type WHEN 'PHONE' THEN dnc_phone_key(b.value) ELSE lower(btrim(b.value)) END;
CREATE TRIGGER do_not_contact_normalize BEFORE INSERT OR UPDATE OF value, type ON do_not_contact
  FOR EACH ROW EXECUTE FUNCTION do_not_contact_normalize();
UPDATE do_not_contact SET value = value;

-- Is the lead's phone / address / address's domain on the caller's tenant's list (plain or hashed)?
-- SECURITY INVOKER: row-level security narrows do_not_contact to the current tenant.
CREATE FUNCTION dnc_phone_listed(phone text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT EXISTS (SELECT 1 FROM public.do_not_contact d
                    WHERE d.type = 'PHONE' AND d.value IN (public.dnc_phone_key(phone), public.dnc_hashed(public.dnc_phone_key(phone))))
  $$;

CREATE FUNCTION dnc_email_listed(email text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT EXISTS (SELECT 1 FROM public.do_not_contact d
                    WHERE (d.type = 'EMAIL' AND d.value IN (lower(btrim(email)), public.dnc_hashed(lower(btrim(email)))))
                       OR (d.type = 'DOMAIN' AND d.value IN (lower(split_part(btrim(email), '@', 2)), public.dnc_hashed(lower(split_part(btrim(email), '@', 2))))))
  $$;

-- ─── GDPR erasure of unattributed webhooks ─────────────────────────────────────────────────────
-- webhook_rejections has no tenant and the app role may only INSERT into it, so an erasure cannot
-- reach it directly. This blanks the body and headers of rejected requests that contain one of the
-- erased person's identifiers (phone digits, address), and nothing else. SECURITY DEFINER like the
-- other narrow lookups (granted to the app role only, by the migration runner's convention).
CREATE FUNCTION gdpr_scrub_webhook_rejections(needles text[]) RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    WITH scrubbed AS (
      UPDATE webhook_rejections r SET body = '', headers = '{}'::jsonb
       WHERE EXISTS (SELECT 1 FROM unnest(needles) n WHERE length(n) >= 6 AND (r.body ILIKE '%' || n || '%' OR r.headers::text ILIKE '%' || n || '%'))
      RETURNING 1)
    SELECT count(*)::int FROM scrubbed
  $$;
REVOKE ALL ON FUNCTION gdpr_scrub_webhook_rejections(text[]) FROM PUBLIC;
