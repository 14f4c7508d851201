/**
 * Quota Guardian (seeds: workers A, plan F2.5.1.T002): the functions the pipeline calls around a
 * WhatsApp send.
 *
 *   const decision = await guardian.check({ tenantId, phoneId, cost: 1, settings });
 *   if (!decision.allowed) reschedule(decision.retryAt)   // never drop: the refusal says when
 *   else try { send() } catch (e) {
 *     if (!reachedProvider(e)) await guardian.release({ tenantId, phoneId, usageDate: decision.usageDate })
 *   }
 *
 * `check` is one Redis round trip and never retries (a retry belongs to the send job, which re-checks
 * when it runs again); checks made in the same tick share that round trip (store.server.ts). Redis
 * out of reach is a DomainError QUOTA_STORE_UNAVAILABLE: the send waits, it is never allowed
 * uncounted. The clock is injected so every time-dependent answer is testable.
 */
import { logEvent } from "../observability/logger.server";
import { chooseAlternativePhone, type AlternativeChoice } from "./alternative";
import type { PhoneUsage, QuotaCost, QuotaDecision } from "./decision";
import type { TenantQuotaSettings } from "./settings";
import type { CounterRef, QuotaStore } from "./store.server";
import { calendarFor, type SendingCalendar } from "./window";
import { systemClock, type Clock } from "../clock";

export interface CheckInput {
  tenantId: string;
  phoneId: string;
  cost: QuotaCost;
  settings: TenantQuotaSettings;
}

export interface QuotaGuardian {
  check(input: CheckInput): Promise<QuotaDecision>;
  /** Gives back the unit of an allowed cost-1 check whose send failed before reaching the provider. */
  release(ref: CounterRef): Promise<{ released: boolean; used: number }>;
  /** The next moment the tenant's window is open (now, if it is open now). */
  nextWindow(settings: TenantQuotaSettings): Date;
  usage(tenantId: string, phoneIds: readonly string[], settings: TenantQuotaSettings): Promise<PhoneUsage[]>;
  alternativePhone(input: {
    tenantId: string;
    settings: TenantQuotaSettings;
    stickyPhoneId: string | null;
    excludePhoneId: string | null;
    /** The tenant's phones from the database (the caller has them already). */
    phones: ReadonlyArray<{ phoneId: string; reputationScore: number }>;
  }): Promise<AlternativeChoice>;
}

export interface GuardianDeps {
  store: QuotaStore;
  clock?: Clock;
  /** Log every decision (seeds: "LOG all results for audit"). The benchmark turns it off. */
  logDecisions?: boolean;
}

export function createQuotaGuardian({ store, clock = systemClock, logDecisions = true }: GuardianDeps): QuotaGuardian {
  const today = (settings: TenantQuotaSettings) => calendarFor(settings.window).localDate(clock());

  return {
    // Not `async`: the decision is the store's promise itself, one link longer only when logging.
    check({ tenantId, phoneId, cost, settings }) {
      let snapshot: ReturnType<SendingCalendar["snapshot"]>;
      try {
        snapshot = calendarFor(settings.window).snapshot(clock());
      } catch (error) {
        return Promise.reject(error);
      }
      const { state, nextDayOpening } = snapshot;
      const pending = store.checkAndConsume({
        tenantId,
        phoneId,
        usageDate: state.localDate,
        cost,
        windowOpen: state.open,
        defaultLimit: settings.defaultLimit,
        retryAtClosed: state.open ? null : state.nextOpening,
        retryAtNextDay: nextDayOpening,
      });
      if (!logDecisions) return pending;
      return pending.then((decision) => {
        logEvent(decision.allowed ? "debug" : "info", {
          worker: "quota:guardian:check",
          action: decision.allowed ? "quota.allowed" : "quota.refused",
          tenantId,
          phoneId,
          channel: "WHATSAPP",
          metadata: {
            cost,
            usageDate: decision.usageDate,
            used: decision.used,
            limit: decision.limit,
            ...(decision.allowed ? {} : { reason: decision.reason, retryAt: decision.retryAt?.toISOString() ?? null }),
            ...(state.open ? {} : { windowClosed: state.reason, holiday: state.holiday }),
          },
        });
        return decision;
      });
    },

    release(ref) {
      return store.release(ref);
    },

    nextWindow(settings) {
      return calendarFor(settings.window).nextOpening(clock());
    },

    usage(tenantId, phoneIds, settings) {
      return store.usage(tenantId, phoneIds, today(settings), settings.defaultLimit);
    },

    async alternativePhone({ tenantId, settings, stickyPhoneId, excludePhoneId, phones }) {
      // A sticky lead waits without a Redis read: the answer does not depend on usage.
      if (stickyPhoneId) return chooseAlternativePhone({ stickyPhoneId, excludePhoneId, candidates: [] });
      const usage = await this.usage(tenantId, phones.map((p) => p.phoneId), settings);
      const reputation = new Map(phones.map((p) => [p.phoneId, p.reputationScore]));
      return chooseAlternativePhone({
        stickyPhoneId,
        excludePhoneId,
        candidates: usage.map((u) => ({ ...u, reputationScore: reputation.get(u.phoneId) ?? 0 })),
      });
    },
  };
}
