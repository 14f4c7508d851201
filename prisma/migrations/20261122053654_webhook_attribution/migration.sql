-- webhook_attribution: hand-written SQL (functions only; nothing here is visible to Prisma's diff).
--
-- TimelinesAI cannot sign its webhooks, so the only credential is the per-tenant secret in the URL
-- (/webhooks/timelinesai/<secret>). The lookup used to compare the secret itself through the unique
-- index: a B-tree descent and memcmp stop at the first differing byte, so response time depends on
-- how much of a guess is right. Comparing SHA-256 digests instead makes the early exit depend only
-- on the digest, which says nothing about the secret (a timing oracle on a preimage-resistant hash
-- is useless). The price is a scan of `tenants` per uncached call: a handful of rows here, and the
-- receiver caches positive answers for a minute (server/webhooks/tenants.server.ts). Should tenants
-- ever number in the tens of thousands, store the digest in an indexed column instead.
--
-- Same name, arguments and answers as before (NULL for unknown, inactive, empty or NULL secrets), so
-- the function's callers and tests/db/rls.test.ts are unaffected; the migration runner re-grants
-- EXECUTE to the app role on every run (server/db/migrate.server.ts).
CREATE OR REPLACE FUNCTION tenant_for_timelinesai_secret(p_secret text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT t.id
    FROM tenants t
    WHERE t.is_active
      AND pg_catalog.sha256(pg_catalog.convert_to(t.timelinesai_webhook_secret, 'UTF8'))
        = pg_catalog.sha256(pg_catalog.convert_to(p_secret, 'UTF8'))
  $$;

REVOKE ALL ON FUNCTION tenant_for_timelinesai_secret(text) FROM PUBLIC;
