-- tenant_isolation: hand-written SQL. Prisma does not generate or diff what goes here.
--
-- Row-level security keyed on the transaction setting app.tenant_id, the pre-tenant lookups the
-- app needs as SECURITY DEFINER functions, and the CHECK constraints Prisma's datamodel cannot
-- express. Design and consequences: docs/decisions/0002-tenant-isolation-rls.md.
--
-- RLS is ENABLEd, not FORCEd: the owner (the admin role that runs migrations and the seed) keeps
-- bypassing it, the app role (never an owner, NOBYPASSRLS, see server/db/migrate.server.ts) does not.

-- ─── The tenant of the current transaction ─────────────────────────────────────────────────────
-- NULL when unset, so every policy below matches nothing rather than everything. Plain SQL, STABLE,
-- no SET clause: the planner inlines it and evaluates it once per query (usable in index scans).
-- Schema-qualified calls keep it independent of the caller's search_path without a SET clause.
CREATE FUNCTION app_current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(pg_catalog.current_setting('app.tenant_id', true), '')::uuid $$;

-- ─── Policies: one rule, every tenant-owned table ──────────────────────────────────────────────
-- A new tenant-owned table must get the same two statements; tests/db/rls.test.ts fails for any
-- table with a tenant_id column that lacks them.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants FOR ALL
  USING (id = app_current_tenant_id()) WITH CHECK (id = app_current_tenant_id());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_sessions FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE gold_companies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON gold_companies FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE gold_lead_journey ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON gold_lead_journey FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE gold_communication_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON gold_communication_log FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE wa_phone_numbers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wa_phone_numbers FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE wa_quota_usage ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON wa_quota_usage FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_sequences ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_sequences FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_sequence_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_sequence_steps FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE sequence_enrollments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sequence_enrollments FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_templates ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_templates FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE template_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON template_versions FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE human_review_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON human_review_queue FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE outreach_daily_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_daily_stats FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_events FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE lead_state_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_state_history FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alerts FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE email_campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON email_campaigns FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE do_not_contact ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON do_not_contact FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log FOR ALL
  USING (tenant_id = app_current_tenant_id()) WITH CHECK (tenant_id = app_current_tenant_id());

-- Unattributable webhooks: the app may only add rows. The migration runner also withholds SELECT,
-- UPDATE and DELETE from the app role; this policy keeps the table write-only even if a later
-- blanket GRANT hands those back. Reading is an admin-connection affair.
ALTER TABLE webhook_rejections ENABLE ROW LEVEL SECURITY;
CREATE POLICY insert_only ON webhook_rejections FOR INSERT WITH CHECK (true);

-- ─── Lookups that run before a tenant is known ─────────────────────────────────────────────────
-- SECURITY DEFINER (they run as the owner, who bypasses RLS), each answering one narrow question.
-- Convention (relied on by the migration runner's grants and checked by tests/db/rls.test.ts):
-- every SECURITY DEFINER function in schema public is callable by the app role and by nobody else.
-- Pinned search_path so a caller cannot shadow users/tenants with objects of its own.

-- Login. is_active is false when either the user or their tenant is deactivated. The lockout
-- columns let the caller refuse a locked account before checking the password. Emails are stored
-- lower-case (users_email_lowercase), so the unique index serves the lookup.
CREATE FUNCTION auth_user_for_login(p_email text)
  RETURNS TABLE (user_id uuid, tenant_id uuid, role user_role_enum, password_hash text,
                 is_active boolean, name text, locale text,
                 failed_login_attempts integer, locked_until timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT u.id, u.tenant_id, u.role, u.password_hash, u.is_active AND t.is_active, u.name, u.locale,
           u.failed_login_attempts, u.locked_until
    FROM users u
    JOIN tenants t ON t.id = u.tenant_id
    WHERE u.email = lower(btrim(p_email))
  $$;

-- Session cookie → identity, only for an unexpired session of an active user in an active tenant.
CREATE FUNCTION auth_session_lookup(p_token_hash text)
  RETURNS TABLE (session_id uuid, user_id uuid, tenant_id uuid, tenant_name text, role user_role_enum,
                 name text, email text, locale text, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.id, u.id, u.tenant_id, t.name, u.role, u.name, u.email, u.locale, s.expires_at
    FROM user_sessions s
    JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
    JOIN tenants t ON t.id = u.tenant_id
    WHERE s.token_hash = p_token_hash
      AND s.expires_at > now()
      AND u.is_active
      AND t.is_active
  $$;

-- Cron jobs fan out over tenants, then do their work with app.tenant_id set to each.
CREATE FUNCTION system_active_tenant_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.id FROM tenants t WHERE t.is_active ORDER BY t.id $$;

-- TimelinesAI webhooks carry no signature: the tenant is the owner of the secret in the URL.
CREATE FUNCTION tenant_for_timelinesai_secret(p_secret text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.id FROM tenants t WHERE t.timelinesai_webhook_secret = p_secret AND t.is_active $$;

-- Instantly webhooks name the campaign; the campaign belongs to exactly one tenant.
CREATE FUNCTION tenant_for_instantly_campaign(p_campaign_id text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.tenant_id
    FROM email_campaigns c
    JOIN tenants t ON t.id = c.tenant_id AND t.is_active
    WHERE c.instantly_campaign_id = p_campaign_id
  $$;

-- Status webhooks (Resend email id, TimelinesAI message uid) name a message we sent. NULL unless
-- exactly one tenant logged that provider id.
CREATE FUNCTION tenant_for_external_message(p_external_message_id text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT (array_agg(DISTINCT m.tenant_id))[1]
    FROM gold_communication_log m
    JOIN tenants t ON t.id = m.tenant_id AND t.is_active
    WHERE m.external_message_id = p_external_message_id
    HAVING count(DISTINCT m.tenant_id) = 1
  $$;

REVOKE ALL ON FUNCTION auth_user_for_login(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_session_lookup(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION system_active_tenant_ids() FROM PUBLIC;
REVOKE ALL ON FUNCTION tenant_for_timelinesai_secret(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tenant_for_instantly_campaign(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tenant_for_external_message(text) FROM PUBLIC;

-- ─── Rules the datamodel cannot express ────────────────────────────────────────────────────────
ALTER TABLE gold_communication_log
  ADD CONSTRAINT gold_communication_log_quota_cost_check CHECK (quota_cost IN (0, 1)),
  ADD CONSTRAINT gold_communication_log_sentiment_score_check CHECK (sentiment_score BETWEEN -100 AND 100);

ALTER TABLE gold_lead_journey
  ADD CONSTRAINT gold_lead_journey_sentiment_score_check CHECK (sentiment_score BETWEEN -100 AND 100);

ALTER TABLE human_review_queue
  ADD CONSTRAINT human_review_queue_ai_sentiment_score_check CHECK (ai_sentiment_score BETWEEN -100 AND 100),
  ADD CONSTRAINT human_review_queue_reason_required CHECK (kind <> 'TRIAGE' OR reason IS NOT NULL);

ALTER TABLE wa_phone_numbers
  ADD CONSTRAINT wa_phone_numbers_reputation_score_check CHECK (reputation_score BETWEEN 0 AND 100),
  ADD CONSTRAINT wa_phone_numbers_daily_quota_limit_check CHECK (daily_quota_limit >= 0);

ALTER TABLE users
  ADD CONSTRAINT users_email_lowercase CHECK (email = lower(btrim(email)));

-- Prisma creates list columns as nullable; the NOT NULL lives here. Days are ISO weekdays.
ALTER TABLE tenants
  ADD CONSTRAINT tenants_sending_days_check
    CHECK (sending_days IS NOT NULL AND sending_days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
  ADD CONSTRAINT tenants_sending_hours_check
    CHECK (sending_start_hour BETWEEN 0 AND 23 AND sending_end_hour BETWEEN 1 AND 24
           AND sending_start_hour < sending_end_hour),
  ADD CONSTRAINT tenants_jitter_check CHECK (jitter_min_seconds >= 0 AND jitter_max_seconds >= jitter_min_seconds),
  ADD CONSTRAINT tenants_bounce_threshold_check CHECK (bounce_threshold BETWEEN 0 AND 1),
  ADD CONSTRAINT tenants_sentiment_auto_threshold_check CHECK (sentiment_auto_threshold BETWEEN -100 AND 100),
  ADD CONSTRAINT tenants_sla_minutes_check
    CHECK (sla_urgent_minutes > 0 AND sla_high_minutes > 0 AND sla_medium_minutes > 0 AND sla_low_minutes > 0),
  ADD CONSTRAINT tenants_wa_daily_quota_check CHECK (wa_daily_quota >= 0),
  ADD CONSTRAINT tenants_dispatch_batch_size_check CHECK (dispatch_batch_size > 0);

ALTER TABLE outreach_sequence_steps
  ADD CONSTRAINT outreach_sequence_steps_step_number_check CHECK (step_number >= 1),
  ADD CONSTRAINT outreach_sequence_steps_delay_check CHECK (delay_hours >= 0 AND delay_minutes >= 0);

ALTER TABLE template_versions
  ADD CONSTRAINT template_versions_weight_check CHECK (weight >= 0);
