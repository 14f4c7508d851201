-- Every WhatsApp send's finalisation advances the lead's enrollment (current_step, last_step_at,
-- next_step_at). The index (tenant_id, status, next_step_at) made each of those updates non-HOT: a new
-- entry in all five indexes per message (bench:pipeline, issue #14). No query reads enrollments by it:
-- dispatch finds due leads by gold_lead_journey.next_action_at; a sequence's counts by status use
-- (tenant_id, sequence_id, status); a journey's enrollment, (journey_id, sequence_id). Without it the
-- finalisation changes no indexed column (status only when the last step completes the sequence).
DROP INDEX "sequence_enrollments_tenant_id_status_next_step_at_idx";

-- A HOT update also needs room on the row's own page. Rows are inserted by dispatch a batch at a time,
-- filling their pages; 20 % kept free leaves room for the new versions until pruning reclaims the old
-- ones. Applies to pages written from now on.
ALTER TABLE "sequence_enrollments" SET (fillfactor = 80);
