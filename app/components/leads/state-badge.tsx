import type { LeadState } from "#server/lead-state/transitions";
import { Badge, type BadgeProps } from "~/components/ui/badge";
import { useT } from "~/lib/i18n";

/** Green once the lead has answered, amber when a person stopped it, muted while cold or closed. */
const VARIANT: Record<LeadState, NonNullable<BadgeProps["variant"]>> = {
  COLD: "outline",
  CONTACTED_WA: "secondary",
  CONTACTED_EMAIL: "secondary",
  WARM_REPLY: "success",
  NEGOTIATION: "success",
  CONVERTED: "default",
  DEAD: "destructive",
  PAUSED: "warning",
};

export function StateBadge({ state }: { state: LeadState }) {
  const t = useT();
  return (
    <Badge variant={VARIANT[state]} data-testid="lead-state" className="whitespace-nowrap">
      {t(`state.${state}`)}
    </Badge>
  );
}

/** A reply's sentiment (-100..100) as the seeds' bands read it: ≥ 50 positive, < 0 negative. */
export function sentimentTone(score: number): "success" | "warning" | "destructive" {
  if (score >= 50) return "success";
  if (score < 0) return "destructive";
  return "warning";
}
