import type { ReactNode } from "react";
import { HourglassIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { Badge } from "~/components/ui/badge";
import { EmptyState } from "~/components/ui/empty-state";
import { useT } from "~/lib/i18n";

/**
 * The honest placeholder for a page whose feature is not built yet: it names what the page will show
 * and shows no sample data, so nobody mistakes a mock-up for the state of their pipeline.
 */
export function WorkInProgressPage({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  const t = useT();
  return (
    <>
      <PageHeader title={title} actions={<Badge variant="warning">{t("wip.badge")}</Badge>} />
      <EmptyState
        icon={HourglassIcon}
        headingLevel="h2"
        title={t("wip.title")}
        description={<p>{description}</p>}
        action={action}
        className="py-16"
      />
    </>
  );
}
