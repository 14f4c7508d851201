/**
 * GDPR erasure (art. 17) of one lead, in one transaction (journey first, the lock order). Personal
 * data is removed or anonymised in every table that holds it; rows, states, statuses, timestamps and
 * counters stay, so the counts and statistics built on them still add up:
 *
 *   gold_companies          name → "Lead șters …", CUI, address, locality, phone, e-mail, contact,
 *                           website removed; county, CAEN and farmed area kept (statistics); erased_at set
 *   gold_lead_journey       both opt-outs set, sequences stopped, state → DEAD, free texts and the
 *                           decision snapshot reduced to codes, tags and custom fields emptied
 *   gold_communication_log  recipient, subject, text preview and hash, raw provider request/response,
 *                           error text, analysis details and metadata removed (status and times kept)
 *   lead_state_history      reasons and metadata removed (who/when/from/to kept)
 *   sequence_enrollments    stop reasons removed
 *   human_review_queue      AI analysis, drafted/final answers and notes removed; open items closed
 *   lead_notes              deleted
 *   lead_decisions          reduced to stage and result
 *   webhook_events          raw body, payload and headers of every event that mentions the person
 *   webhook_rejections      the same, through gdpr_scrub_webhook_rejections (the app cannot read them)
 *   audit_log, alerts       snapshots / texts that mention the person
 *   pg-boss jobs            job results (provider error texts) of the lead's jobs
 *   do_not_contact          the person's phone and address kept as SHA-256 hashes only (see below)
 *
 * The suppression entry: erasure does not end the person's objection to being contacted (art. 21); a
 * later Gold import may bring them back as a new row. So the phone and address stay on the
 * do-not-contact list as hashes — nothing that can be read back, enough to recognise them at send time
 * (every check matches the key or its hash). This holds whether or not they had opted out before.
 *
 * The audit entry says who erased which lead and how many rows were touched, never the data.
 * The providers (TimelinesAI, Instantly, Resend) keep their own copies; asking them is an operator's task.
 */
import type { Actor } from "../audit/actor";
import { historyActor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { getEnv } from "../config/env.server";
import type { TenantTx } from "../db/client.server";
import { transitionLead } from "../lead-state/transition.server";
import { stopAllForJourney } from "../sequences/sequences.server";
import { leadIdentifiers, likePatterns, webhookEventIdsMentioning } from "./gdpr-identifiers.server";
import { lockLead } from "./lock-lead.server";

export const ERASED_REASON = "Date personale șterse (GDPR)";

export interface ErasureResult {
  leadId: string;
  journeyId: string;
  /** Rows changed per table (what the audit entry records). */
  touched: Record<string, number>;
}

export async function eraseLeadData(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor; now: Date }): Promise<ErasureResult> {
  const lead = await lockLead(tx, input.leadId, undefined, { allowErased: true });
  const j = lead.journeyId;
  const ids = await leadIdentifiers(tx, lead);
  const patterns = likePatterns(ids.needles);
  const eventIds = await webhookEventIdsMentioning(tx, ids.needles);
  const touched: Record<string, number> = {};
  const count = (table: string, n: number) => {
    touched[table] = (touched[table] ?? 0) + n;
  };

  // Suppression first, while the keys are still known: every plain entry becomes its hash, and a hash
  // is added where there was none.
  for (const [type, values] of [["PHONE", ids.phoneValues], ["EMAIL", ids.emailValues]] as const) {
    if (values.length === 0) continue;
    const [key, hashed] = values as [string, string];
    count("do_not_contact", await tx.$executeRaw`DELETE FROM do_not_contact WHERE type = ${type}::dnc_type_enum AND value = ${key}`);
    count(
      "do_not_contact",
      await tx.$executeRaw`
        INSERT INTO do_not_contact (tenant_id, type, value, reason, source, created_by, created_at)
        VALUES (${input.tenantId}::uuid, ${type}::dnc_type_enum, ${hashed}, ${ERASED_REASON}, 'gdpr:erasure', ${input.actor.type === "USER" ? input.actor.userId : null}::uuid, ${input.now})
        ON CONFLICT (tenant_id, type, value) DO NOTHING`,
    );
  }

  // Automation off for good: sequences stopped, both channels opted out, the lead lost.
  count("sequence_enrollments", (await stopAllForJourney(tx, j, ERASED_REASON, input.now)).length);
  if (lead.state !== "DEAD") {
    await transitionLead(tx, { journeyId: j, to: "DEAD", actor: historyActor(input.actor), reason: ERASED_REASON, at: input.now });
  }

  count(
    "gold_companies",
    await tx.$executeRaw`
      UPDATE gold_companies SET denumire = 'Lead șters ' || left(id::text, 8), cui = NULL, adresa = NULL, localitate = NULL,
             telefon_principal = NULL, hlr_reachable = NULL, email_principal = NULL, email_status = 'UNKNOWN',
             contact_principal_nume = NULL, contact_principal_functie = NULL, website = NULL,
             gdpr_erased_at = COALESCE(gdpr_erased_at, ${input.now}), updated_at = now()
       WHERE id = ${input.leadId}::uuid`,
  );
  count(
    "gold_lead_journey",
    await tx.$executeRaw`
      UPDATE gold_lead_journey SET whatsapp_opted_out = true, email_opted_out = true, is_human_controlled = false,
             requires_human_review = false, human_review_reason = NULL, human_review_priority = NULL,
             next_action_at = NULL, next_action_reason = ${ERASED_REASON}, state_change_reason = ${ERASED_REASON},
             last_dispatch_outcome = CASE WHEN last_dispatch_outcome IS NULL THEN NULL
                                          ELSE jsonb_build_object('stage', last_dispatch_outcome->'stage', 'result', last_dispatch_outcome->'result', 'erased', true) END,
             tags = '[]', custom_fields = '{}', updated_at = now()
       WHERE id = ${j}::uuid`,
  );
  count(
    "gold_communication_log",
    await tx.$executeRaw`
      UPDATE gold_communication_log SET recipient = NULL, subject = NULL, content_preview = NULL, content_hash = NULL,
             raw_request = NULL, raw_response = NULL, error_message = NULL, analysis = NULL, metadata = '{"erased": true}', updated_at = now()
       WHERE journey_id = ${j}::uuid`,
  );
  count("lead_state_history", await tx.$executeRaw`UPDATE lead_state_history SET reason = NULL, metadata = '{}' WHERE journey_id = ${j}::uuid AND reason IS DISTINCT FROM ${ERASED_REASON}`);
  count("sequence_enrollments", await tx.$executeRaw`UPDATE sequence_enrollments SET stopped_reason = ${ERASED_REASON}, updated_at = now() WHERE journey_id = ${j}::uuid AND stopped_reason IS NOT NULL`);
  count(
    "human_review_queue",
    await tx.$executeRaw`
      UPDATE human_review_queue SET ai_analysis = NULL, drafted_answer = NULL, final_answer = NULL, resolution_note = NULL,
             status = CASE WHEN status IN ('RESOLVED', 'EXPIRED') THEN status ELSE 'RESOLVED' END,
             resolution = CASE WHEN status IN ('RESOLVED', 'EXPIRED') THEN resolution ELSE 'NO_ACTION' END,
             resolved_at = CASE WHEN status IN ('RESOLVED', 'EXPIRED') THEN resolved_at ELSE ${input.now} END,
             updated_at = now()
       WHERE journey_id = ${j}::uuid`,
  );
  count("lead_notes", await tx.$executeRaw`DELETE FROM lead_notes WHERE journey_id = ${j}::uuid`);
  count("lead_decisions", await tx.$executeRaw`UPDATE lead_decisions SET outcome = jsonb_build_object('stage', stage, 'result', result, 'erased', true) WHERE journey_id = ${j}::uuid`);
  if (eventIds.length > 0) {
    count("webhook_events", await tx.$executeRaw`UPDATE webhook_events SET payload = '{"erased": true}', raw_body = '', headers = '{}', error = NULL WHERE id = ANY(${eventIds}::uuid[])`);
  }
  if (ids.needles.length > 0) {
    const [scrubbed] = await tx.$queryRaw<Array<{ n: number }>>`SELECT gdpr_scrub_webhook_rejections(${ids.needles}::text[]) AS n`;
    count("webhook_rejections", scrubbed?.n ?? 0);
    count(
      "audit_log",
      await tx.$executeRaw`
        UPDATE audit_log SET before = CASE WHEN before::text ILIKE ANY(${patterns}::text[]) THEN '{"erased": true}'::jsonb ELSE before END,
                             after = CASE WHEN after::text ILIKE ANY(${patterns}::text[]) THEN '{"erased": true}'::jsonb ELSE after END
         WHERE before::text ILIKE ANY(${patterns}::text[]) OR after::text ILIKE ANY(${patterns}::text[])`,
    );
    count(
      "alerts",
      await tx.$executeRaw`
        UPDATE alerts SET title = 'Alertă (date șterse)', message = ${ERASED_REASON}, metadata = '{}', updated_at = now()
         WHERE title ILIKE ANY(${patterns}::text[]) OR message ILIKE ANY(${patterns}::text[]) OR metadata::text ILIKE ANY(${patterns}::text[])`,
    );
  }
  // pg-boss keeps finished jobs for a while; a send job's result may quote a provider's error text.
  const schema = getEnv().PGBOSS_SCHEMA.replace(/"/g, "");
  count(
    "pgboss.job",
    await tx.$executeRawUnsafe(
      `UPDATE "${schema}".job SET output = NULL WHERE output IS NOT NULL AND (data->>'leadId' = $1 OR data->>'journeyId' = $2 OR data->'payload'->>'leadId' = $1)`,
      input.leadId,
      j,
    ),
  );

  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.gdpr_erase",
    entityType: "gold_lead_journey",
    entityId: j,
    after: { leadId: input.leadId, touched },
  });
  return { leadId: input.leadId, journeyId: j, touched };
}
