import { Button } from "~/components/ui/button";
import { DialogFooter } from "~/components/ui/dialog";
import { useT } from "~/lib/i18n";
import { errorMessage, OperationProgress, type Operation } from "./operation-progress";

/** A bulk job's progress bar, then its result, and the dialog's close button: the leads list's bulk
 * dialog and the sequences page's "enroll from a saved filter" run the same job and show it alike. */
export function BulkOperationResult({ operation, running, onClose }: { operation: Operation | undefined; running: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <div className="grid gap-4">
      <OperationProgress
        operation={operation}
        label={t("bulk.progressLabel")}
        runningKey="bulk.running"
        outcomeKey={(o) => `bulk.outcome.${o}` as "bulk.outcome.DONE"}
        failedText={(op) => t("bulk.failed", { reason: errorMessage(t, "bulk", op.errorCode) })}
      />
      <DialogFooter>
        <Button onClick={onClose} variant={running ? "outline" : "default"}>
          {t("bulk.close")}
        </Button>
      </DialogFooter>
    </div>
  );
}
