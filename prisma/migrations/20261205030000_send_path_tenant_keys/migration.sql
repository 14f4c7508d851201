-- Issue #14, ADR 0018: the send path's child rows (its log row, the enrolment, the explain trail and
-- the state history) reach their tenant through (tenant_id, journey_id) → gold_lead_journey, which
-- references tenants and cascades. Their direct foreign keys to tenants were implied by that one, and
-- each insert checked them with SELECT … FOR KEY SHARE on the tenant's single row: six per message,
-- every concurrent send of a tenant sharing that row's lock.

-- DropForeignKey
ALTER TABLE "gold_communication_log" DROP CONSTRAINT "gold_communication_log_tenant_id_fkey";

-- DropForeignKey
ALTER TABLE "sequence_enrollments" DROP CONSTRAINT "sequence_enrollments_tenant_id_fkey";

-- DropForeignKey
ALTER TABLE "lead_state_history" DROP CONSTRAINT "lead_state_history_tenant_id_fkey";

-- DropForeignKey
ALTER TABLE "lead_decisions" DROP CONSTRAINT "lead_decisions_tenant_id_fkey";
