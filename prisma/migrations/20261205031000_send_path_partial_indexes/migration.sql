-- Issue #14: indexes of columns the send path leaves empty hold only the rows that have a value. A
-- WhatsApp send inserts its log row with no provider id, thread or chat and sets only the provider id
-- when it finalises; a lead rarely waits for review, and has no first contact until its first message.
-- Each of these indexes took an entry for every insert and (non-HOT) update on the send path; every
-- query of them asks for a value (`= …`, a range, or the review flag itself), which implies the predicate.

-- DropIndex / CreateIndex
DROP INDEX "gold_communication_log_external_message_id_idx";
CREATE INDEX "gold_communication_log_external_message_id_idx" ON "gold_communication_log"("external_message_id") WHERE "external_message_id" IS NOT NULL;

DROP INDEX "gold_communication_log_thread_id_idx";
CREATE INDEX "gold_communication_log_thread_id_idx" ON "gold_communication_log"("thread_id") WHERE "thread_id" IS NOT NULL;

DROP INDEX "gold_communication_log_timelinesai_chat_id_idx";
CREATE INDEX "gold_communication_log_timelinesai_chat_id_idx" ON "gold_communication_log"("timelinesai_chat_id") WHERE "timelinesai_chat_id" IS NOT NULL;

DROP INDEX "gold_lead_journey_tenant_id_requires_human_review_next_acti_idx";
CREATE INDEX "gold_lead_journey_tenant_id_requires_human_review_next_acti_idx" ON "gold_lead_journey"("tenant_id", "requires_human_review", "next_action_at", "id") WHERE "requires_human_review";

DROP INDEX "gold_lead_journey_tenant_id_first_contact_at_idx";
CREATE INDEX "gold_lead_journey_tenant_id_first_contact_at_idx" ON "gold_lead_journey"("tenant_id", "first_contact_at") WHERE "first_contact_at" IS NOT NULL;
