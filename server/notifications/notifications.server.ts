/**
 * In-app notifications (the header's bell, issue 15): one row per person and event, written in the
 * transaction of the change it announces. A notification is a kind plus parameters; the UI renders it
 * in the reader's language (app/lib/messages). `dedupeKey` (UNIQUE per person) makes an event that a
 * retried job raises again arrive once.
 */
import type { TenantTx } from "../db/client.server";
import type { Prisma } from "../generated/prisma/client";

export const NOTIFICATION_KINDS = ["review.assigned", "review.due_soon", "review.breached", "review.escalated", "answer.failed"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationInput {
  tenantId: string;
  userIds: readonly string[];
  kind: NotificationKind;
  /** Rendered by the UI: lead name, priority, due time … (plain JSON). */
  params: Record<string, string | number | null>;
  link: string | null;
  reviewId: string | null;
  /** Same key, same person → one notification. */
  dedupeKey: string;
  at: Date;
}

export async function notify(tx: TenantTx, n: NotificationInput): Promise<number> {
  const users = [...new Set(n.userIds)];
  if (users.length === 0) return 0;
  const created = await tx.notification.createMany({
    data: users.map((userId) => ({
      tenantId: n.tenantId,
      userId,
      kind: n.kind,
      params: n.params as Prisma.InputJsonValue,
      link: n.link,
      reviewId: n.reviewId,
      dedupeKey: n.dedupeKey,
      createdAt: n.at,
    })),
    skipDuplicates: true,
  });
  return created.count;
}

/** Active managers and admins of the tenant: who hears about breaches and escalations. */
export async function managerIds(tx: TenantTx): Promise<string[]> {
  const rows = await tx.user.findMany({ where: { isActive: true, role: { in: ["MANAGER", "ADMIN"] } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export interface NotificationList {
  unread: number;
  items: Array<{ id: string; kind: string; params: Record<string, unknown>; link: string | null; reviewId: string | null; readAt: Date | null; createdAt: Date }>;
}

export async function listNotifications(tx: TenantTx, userId: string, limit: number): Promise<NotificationList> {
  const items = await tx.notification.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { id: true, kind: true, params: true, link: true, reviewId: true, readAt: true, createdAt: true },
  });
  const unread = await tx.notification.count({ where: { userId, readAt: null } });
  return { unread, items: items.map((i) => ({ ...i, params: (i.params ?? {}) as Record<string, unknown> })) };
}

/** Marks the person's notifications read (the given ones, or all); returns how many changed. */
export async function markNotificationsRead(tx: TenantTx, userId: string, ids: readonly string[] | "all", at: Date): Promise<number> {
  const result = await tx.notification.updateMany({
    where: { userId, readAt: null, ...(ids === "all" ? {} : { id: { in: [...ids] } }) },
    data: { readAt: at },
  });
  return result.count;
}
