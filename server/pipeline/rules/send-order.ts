/**
 * Follow-ups first on a phone (seeds: each phone's `q:wa:phone_{XX}:followup` queue is drained before
 * its new contacts; issue 5: "follow-ups first when both wait").
 *
 * pg-boss `priority` cannot do this on our queue. wa.send is key_strict_fifo with singletonKey =
 * phoneId, and pg-boss 12's fetch (plans.js fetchNextJob) first picks each key's head with
 *   SELECT DISTINCT ON (singleton_key) … ORDER BY singleton_key, state DESC, created_on, id
 * among the jobs whose start_after has come, and only then orders those heads by `priority DESC,
 * created_on`. Priority therefore decides which phone is served first, never which of one phone's
 * jobs runs next (tests/pipeline/send-order.test.ts pins this down). Insertion order does not help
 * either: created_on is job_now(), the inserting transaction's start, so one dispatch's jobs tie and
 * fall back to the job id.
 *
 * So the order is kept by the send job itself (jobs/pipeline/wa-send.ts; a sequence send reads the
 * waiting follow-up with its context, whatsapp-send-store.server.ts): an initial message that
 * becomes its phone's head while a follow-up for that phone is waiting and due gives way — it is sent
 * to the back of the phone's queue (a new job, created now, hence behind the older follow-up) and
 * completes without sending. A follow-up deferred to later (spacing, a retry back-off) does not hold
 * the phone: when its time comes it is due, and the initial message gives way then. Only one job per
 * phone runs at a time, so the check cannot race another send on the phone.
 */
import type { JourneyFacts } from "./types";

/**
 * A follow-up is any message to a lead who has had one already: a later sequence step, or a journey
 * that is no longer a new contact (its first message went out on any channel). The same fact makes a
 * send cost no quota.
 */
export function isFollowUp(journey: Pick<JourneyFacts, "isNewContact">, step: { stepNumber: number }): boolean {
  return !journey.isNewContact || step.stepNumber > 1;
}
