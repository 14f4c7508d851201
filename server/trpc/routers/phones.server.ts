/**
 * The phones page and the phone lifecycle (issue 3). Thin: validation in, domain call, shape out.
 *
 * Tiers: everyone signed in as SALES_REP or above may read the pool (a rep sees why a lead waits);
 * MANAGER adds phones, changes status and enables/disables; ADMIN resyncs and adjusts quota.
 */
import { DomainError } from "../../errors";
import { addPhone, adjustQuota, changePhoneStatus, setPhoneEnabled, type PhoneLifecycleDeps } from "../../phones/lifecycle.server";
import { noPendingSends, pgBossPendingSends } from "../../phones/pending-sends.server";
import { listPhones } from "../../phones/repository.server";
import {
  addPhoneInput,
  adjustQuotaInput,
  adjustQuotaOutput,
  changeStatusInput,
  changeStatusOutput,
  phoneListItem,
  phoneListOutput,
  resyncOutput,
  setEnabledInput,
} from "../../phones/schemas";
import type { PhoneUsage } from "../../quota/decision";
import { createQuotaGuardian } from "../../quota/guardian.server";
import { resyncTenant } from "../../quota/resync.server";
import { loadTenantQuotaSettings } from "../../quota/settings.server";
import { getQuotaStore } from "../../quota/index.server";
import { calendarFor } from "../../quota/window";
import { systemClock } from "../../clock";
import { adminProcedure, managerProcedure, repProcedure, router, type AuthedContext } from "../init.server";
import { rest } from "../rest";


/**
 * Production wiring: the process's quota store, its started pg-boss (from the context) for
 * cancelling a banned phone's sends, the wall clock. Without pg-boss (a web-only process) nothing is
 * cancelled, and the quota check still refuses every send of the banned phone.
 */
export function defaultPhoneDeps(ctx: Pick<AuthedContext, "boss">): PhoneLifecycleDeps {
  return { store: getQuotaStore(), pendingSends: ctx.boss ? pgBossPendingSends(ctx.boss) : noPendingSends, clock: systemClock };
}

export function createPhonesRouter(getDeps: (ctx: AuthedContext) => PhoneLifecycleDeps = defaultPhoneDeps) {
  return router({
    list: repProcedure.meta(rest("GET", "/phones", "The phone pool with today's quota usage and the sending window")).output(phoneListOutput).query(async ({ ctx }) => {
      const deps = getDeps(ctx);
      const now = deps.clock();
      const { phones, settings } = await ctx.db(async (tx) => ({
        phones: await listPhones(tx),
        settings: await loadTenantQuotaSettings(tx, ctx.user.tenantId),
      }));
      const calendar = calendarFor(settings.window);
      const state = calendar.state(now);

      // One Redis round trip for the whole pool. Without Redis the page still shows the pool.
      let usage: Map<string, PhoneUsage> | null = null;
      try {
        const guardian = createQuotaGuardian({ store: deps.store, clock: deps.clock, logDecisions: false });
        usage = new Map((await guardian.usage(ctx.user.tenantId, phones.map((p) => p.id), settings)).map((u) => [u.phoneId, u]));
      } catch (error) {
        if (!(error instanceof DomainError && error.code === "QUOTA_STORE_UNAVAILABLE")) throw error;
      }

      return {
        usageDate: state.localDate,
        quotaAvailable: usage !== null,
        window: {
          open: state.open,
          reason: state.open ? null : state.reason,
          holiday: state.open ? null : state.holiday,
          nextOpening: calendar.nextOpening(now),
        },
        phones: phones.map((p) => {
          const u = usage?.get(p.id);
          // The limit the check enforces is the mirror's; an unmirrored phone shows its database limit.
          const limit = u?.status ? u.limit : p.dailyQuotaLimit;
          const item: typeof phoneListItem._input = {
            id: p.id,
            label: p.label,
            phoneNumber: p.phoneNumber,
            status: p.status,
            statusChangedAt: p.statusChangedAt,
            pausedReason: p.pausedReason,
            isEnabled: p.isEnabled,
            reputationScore: p.reputationScore,
            lastHealthCheckAt: p.lastHealthCheckAt,
            lastError: p.lastError,
            used: u ? u.used : null,
            limit,
            remaining: u ? Math.max(0, limit - u.used) : null,
            mirror: u ? { status: u.status, enabled: u.enabled, inSync: u.status === p.status && u.enabled === p.isEnabled && u.limit === p.dailyQuotaLimit } : null,
          };
          return item;
        }),
      };
    }),

    add: managerProcedure
      .meta(rest("POST", "/phones", "Add a WhatsApp phone (runbook §2.3)"))
      .input(addPhoneInput)
      .output(phoneListItem.pick({ id: true, label: true, phoneNumber: true, status: true, isEnabled: true, limit: true }))
      .mutation(async ({ ctx, input }) => {
        const phone = await addPhone(getDeps(ctx), ctx.db, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input });
        return { id: phone.id, label: phone.label, phoneNumber: phone.phoneNumber, status: phone.status, isEnabled: phone.isEnabled, limit: phone.dailyQuotaLimit };
      }),

    changeStatus: managerProcedure
      .meta(rest("PATCH", "/phones/{phoneId}/status", "Change a phone's status (runbook §2.1, §2.2)"))
      .input(changeStatusInput)
      .output(changeStatusOutput)
      .mutation(async ({ ctx, input }) => {
        const r = await changePhoneStatus(getDeps(ctx), ctx.db, { tenantId: ctx.user.tenantId, actor: ctx.actor, phoneId: input.phoneId, to: input.status, reason: input.reason });
        return { phoneId: r.phone.id, from: r.from, to: r.phone.status, changed: r.changed, alertRaised: r.alertRaised, unassignedLeads: r.unassignedLeads, cancelledSends: r.cancelledSends };
      }),

    setEnabled: managerProcedure
      .meta(rest("PATCH", "/phones/{phoneId}/enabled", "Enable or disable a phone"))
      .input(setEnabledInput)
      .output(phoneListItem.pick({ id: true, isEnabled: true }).extend({ changed: phoneListItem.shape.isEnabled }))
      .mutation(async ({ ctx, input }) => {
        const r = await setPhoneEnabled(getDeps(ctx), ctx.db, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input });
        return { id: r.phone.id, isEnabled: r.phone.isEnabled, changed: r.changed };
      }),

    resync: adminProcedure.meta(rest("POST", "/phones/resync", "Rebuild today's counters and phone mirrors from the log (runbook §3.1, §6.2)")).output(resyncOutput).mutation(async ({ ctx }) => {
      const deps = getDeps(ctx);
      const r = await resyncTenant({ store: deps.store, clock: deps.clock }, ctx.db, ctx.user.tenantId, ctx.actor);
      return { usageDate: r.usageDate, phones: r.phones };
    }),

    adjustQuota: adminProcedure
      .meta(rest("POST", "/phones/{phoneId}/quota", "Emergency quota adjustment (runbook §3.1 step 4)"))
      .input(adjustQuotaInput)
      .output(adjustQuotaOutput)
      .mutation(({ ctx, input }) => adjustQuota(getDeps(ctx), ctx.db, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input })),
  });
}

export const phonesRouter = createPhonesRouter();
