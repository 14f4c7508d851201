/** A bulk operation as the page's progress bar and result summary read it (polled while it runs). */
import type { TenantTx } from "../../db/client.server";
import { notFound } from "../../errors";
import type { BulkOperationKind, BulkOperationStatus } from "../../generated/prisma/enums";

export interface BulkOperationView {
  id: string;
  kind: BulkOperationKind;
  status: BulkOperationStatus;
  total: number;
  processed: number;
  /** Leads per outcome once DONE (BULK_OUTCOMES; for an import: its own counts). */
  result: Record<string, number> | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function bulkOperationStatus(tx: TenantTx, operationId: string): Promise<BulkOperationView> {
  const op = await tx.bulkOperation.findUnique({
    where: { id: operationId },
    select: { id: true, kind: true, status: true, total: true, processed: true, result: true, errorCode: true, errorMessage: true, createdAt: true, startedAt: true, finishedAt: true },
  });
  if (!op) throw notFound("bulk_operation", operationId);
  return { ...op, result: (op.result as Record<string, number> | null) ?? null };
}
