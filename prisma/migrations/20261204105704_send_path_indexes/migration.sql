-- DropIndex
DROP INDEX "idx_lead_journey_next_action";

-- DropIndex
DROP INDEX "idx_lead_journey_review";

-- DropIndex
DROP INDEX "idx_lead_journey_tenant_state";

