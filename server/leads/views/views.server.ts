/**
 * Saved views of the leads list: list, create, change, delete (views.ts has the rules and schemas).
 * In the caller's tenant transaction (RLS); every change audited in it.
 *
 * Who sees what: a person sees their own views and the views others shared. Who changes what: the
 * owner, or an admin (a shared view of someone who left can still be tidied away).
 */
import { roleAtLeast } from "../../auth/roles";
import type { Actor } from "../../audit/actor";
import { recordAudit } from "../../audit/audit.server";
import type { TenantTx } from "../../db/client.server";
import { DomainError, notFound } from "../../errors";
import type { Prisma } from "../../generated/prisma/client";
import { MAX_VIEWS_PER_OWNER, parseSavedFilters, type CreateViewInput, type LeadListViewData, type UpdateViewInput } from "./views";

type UserActor = Actor & { type: "USER" };

const SELECT = { id: true, name: true, shared: true, filters: true, ownerId: true, updatedAt: true, owner: { select: { name: true } } } as const;
type Row = Prisma.LeadListViewGetPayload<{ select: typeof SELECT }>;

const mayEdit = (actor: UserActor, ownerId: string) => ownerId === actor.userId || roleAtLeast(actor.role, "ADMIN");

function toView(row: Row, actor: UserActor): LeadListViewData {
  return {
    id: row.id,
    name: row.name,
    shared: row.shared,
    filters: parseSavedFilters(row.filters),
    owner: { id: row.ownerId, name: row.owner.name },
    mine: row.ownerId === actor.userId,
    canEdit: mayEdit(actor, row.ownerId),
    updatedAt: row.updatedAt,
  };
}

/** The caller's own views first, then the shared ones, each by name. */
export async function listLeadViews(tx: TenantTx, actor: UserActor): Promise<LeadListViewData[]> {
  const rows = await tx.leadListView.findMany({
    where: { OR: [{ ownerId: actor.userId }, { shared: true }] },
    select: SELECT,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const mine = rows.filter((r) => r.ownerId === actor.userId);
  const others = rows.filter((r) => r.ownerId !== actor.userId);
  return [...mine, ...others].map((r) => toView(r, actor));
}

/** One view the caller may open (their own or a shared one). */
export async function getLeadView(tx: TenantTx, actor: UserActor, viewId: string): Promise<LeadListViewData> {
  const row = await tx.leadListView.findUnique({ where: { id: viewId }, select: SELECT });
  if (!row || (row.ownerId !== actor.userId && !row.shared)) throw notFound("lead_view", viewId);
  return toView(row, actor);
}

async function assertNameFree(tx: TenantTx, ownerId: string, name: string, exceptId?: string): Promise<void> {
  const taken = await tx.leadListView.findFirst({ where: { ownerId, name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (taken) throw new DomainError("CONFLICT", "VIEW_NAME_TAKEN", `a view named "${name}" exists already`);
}

export async function createLeadView(tx: TenantTx, input: { tenantId: string; actor: UserActor; view: CreateViewInput }): Promise<LeadListViewData> {
  const { actor, view } = input;
  await assertNameFree(tx, actor.userId, view.name);
  const owned = await tx.leadListView.count({ where: { ownerId: actor.userId } });
  if (owned >= MAX_VIEWS_PER_OWNER) throw new DomainError("BAD_INPUT", "VIEW_LIMIT", `at most ${MAX_VIEWS_PER_OWNER} saved views per person`, { max: MAX_VIEWS_PER_OWNER });
  const row = await tx.leadListView.create({
    data: { tenantId: input.tenantId, ownerId: actor.userId, name: view.name, shared: view.shared, filters: view.filters as Prisma.InputJsonValue },
    select: SELECT,
  });
  await recordAudit(tx, { tenantId: input.tenantId, actor, action: "lead_view.create", entityType: "lead_view", entityId: row.id, after: { name: row.name, shared: row.shared, filters: view.filters } });
  return toView(row, actor);
}

async function editable(tx: TenantTx, actor: UserActor, viewId: string): Promise<Row> {
  // Locked: two saves of one view apply one after the other, each audited against what it replaced.
  await tx.$queryRaw`SELECT 1 FROM lead_list_views WHERE id = ${viewId}::uuid FOR UPDATE`;
  const row = await tx.leadListView.findUnique({ where: { id: viewId }, select: SELECT });
  if (!row || (row.ownerId !== actor.userId && !row.shared)) throw notFound("lead_view", viewId);
  if (!mayEdit(actor, row.ownerId)) throw new DomainError("FORBIDDEN", "VIEW_NOT_OWNER", "only the view's owner or an admin may change it");
  return row;
}

export async function updateLeadView(tx: TenantTx, input: { tenantId: string; actor: UserActor; change: UpdateViewInput }): Promise<LeadListViewData> {
  const { actor, change } = input;
  const before = await editable(tx, actor, change.viewId);
  if (change.name !== undefined && change.name !== before.name) await assertNameFree(tx, before.ownerId, change.name, before.id);
  const row = await tx.leadListView.update({
    where: { id: before.id },
    data: {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.shared !== undefined ? { shared: change.shared } : {}),
      ...(change.filters !== undefined ? { filters: change.filters as Prisma.InputJsonValue } : {}),
    },
    select: SELECT,
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor,
    action: "lead_view.update",
    entityType: "lead_view",
    entityId: row.id,
    before: { name: before.name, shared: before.shared, filters: before.filters },
    after: { name: row.name, shared: row.shared, filters: row.filters },
  });
  return toView(row, actor);
}

export async function deleteLeadView(tx: TenantTx, input: { tenantId: string; actor: UserActor; viewId: string }): Promise<{ deleted: true }> {
  const before = await editable(tx, input.actor, input.viewId);
  await tx.leadListView.delete({ where: { id: before.id }, select: { id: true } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead_view.delete",
    entityType: "lead_view",
    entityId: before.id,
    before: { name: before.name, shared: before.shared, owner: before.ownerId, filters: before.filters },
  });
  return { deleted: true };
}
