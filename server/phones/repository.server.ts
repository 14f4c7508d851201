/**
 * Every database read and write of the phone pool and its quota history. Functions take the tenant
 * transaction (`withTenant` / `ctx.db`), so row-level security scopes them to one tenant; nothing
 * here decides anything.
 */
import type { TenantTx } from "../db/client.server";
import type { Prisma, PhoneStatus as DbPhoneStatus } from "../generated/prisma/client";
import type { PhoneStatus } from "./status";

// The domain's status list and the database enum must be the same set, in both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesMatch: Same<PhoneStatus, DbPhoneStatus> = true;
void statusesMatch;

export interface PhoneRow {
  id: string;
  label: string;
  phoneNumber: string;
  timelinesaiAccountId: string;
  status: PhoneStatus;
  statusChangedAt: Date;
  pausedReason: string | null;
  isEnabled: boolean;
  dailyQuotaLimit: number;
  reputationScore: number;
  lastHealthCheckAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
}

const phoneSelect = {
  id: true,
  label: true,
  phoneNumber: true,
  timelinesaiAccountId: true,
  status: true,
  statusChangedAt: true,
  pausedReason: true,
  isEnabled: true,
  dailyQuotaLimit: true,
  reputationScore: true,
  lastHealthCheckAt: true,
  lastError: true,
  consecutiveFailures: true,
} satisfies Prisma.WaPhoneNumberSelect;

export function listPhones(tx: TenantTx): Promise<PhoneRow[]> {
  return tx.waPhoneNumber.findMany({ select: phoneSelect, orderBy: [{ label: "asc" }, { id: "asc" }] });
}

export function findPhone(tx: TenantTx, phoneId: string): Promise<PhoneRow | null> {
  return tx.waPhoneNumber.findUnique({ where: { id: phoneId }, select: phoneSelect });
}

/**
 * Locks the phone row until the transaction ends. FOR UPDATE (status changes): two changes of one
 * phone (an operator and the health monitor, say) serialise instead of both validating against the
 * same old status. FOR SHARE (mirror refresh, resync): waits for any change in flight and keeps new
 * ones out until the mirror is written, so Redis receives mirror writes in the order the database
 * committed them. RLS applies to the raw query too: another tenant's phone reads as absent.
 */
export async function lockPhone(tx: TenantTx, phoneId: string, mode: "update" | "share" = "update"): Promise<PhoneRow | null> {
  const locked =
    mode === "update"
      ? await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM wa_phone_numbers WHERE id = ${phoneId}::uuid FOR UPDATE`
      : await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM wa_phone_numbers WHERE id = ${phoneId}::uuid FOR SHARE`;
  return locked.length === 0 ? null : findPhone(tx, phoneId);
}

/** Share-locks every phone of the tenant (resync), in id order so concurrent lockers cannot deadlock. */
export async function lockAllPhonesShared(tx: TenantTx): Promise<void> {
  await tx.$queryRaw`SELECT id FROM wa_phone_numbers ORDER BY id FOR SHARE`;
}

export interface NewPhone {
  tenantId: string;
  label: string;
  phoneNumber: string;
  timelinesaiAccountId: string;
  status: PhoneStatus;
  dailyQuotaLimit: number;
  notes: string | null;
}

export function insertPhone(tx: TenantTx, phone: NewPhone): Promise<PhoneRow> {
  return tx.waPhoneNumber.create({ data: phone, select: phoneSelect });
}

export function updatePhone(tx: TenantTx, phoneId: string, data: Prisma.WaPhoneNumberUpdateInput): Promise<PhoneRow> {
  return tx.waPhoneNumber.update({ where: { id: phoneId }, data, select: phoneSelect });
}

/** Takes a banned phone's leads in the given states off it, so the allocator gives them another. */
export async function unassignJourneys(tx: TenantTx, phoneId: string, states: readonly ("COLD" | "CONTACTED_WA")[]): Promise<number> {
  const { count } = await tx.goldLeadJourney.updateMany({
    where: { assignedPhoneId: phoneId, currentState: { in: [...states] } },
    data: { assignedPhoneId: null, assignedAt: null },
  });
  return count;
}

