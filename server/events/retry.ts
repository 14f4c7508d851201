/**
 * When a stored webhook event that could not be applied is tried again (ADR 0017). The event row
 * counts its attempts (`webhook_events.attempts`), so the rule reads the row, not a job's retry count:
 * a normalization job names many events, and each of them has its own history.
 *
 * Most retries are the race where a provider reports on a message before the send job stored the
 * provider's id; a few are a database error on one event. The delays (5, 10, 20, 40, 80 s) cover
 * a send job's own retry of its finalisation.
 */
export const EVENT_RETRY = { limit: 5, firstDelaySeconds: 5 } as const;

/** Whether an attempt made after `attemptsMade` earlier ones is the last: nothing is tried after it. */
export const isFinalAttempt = (attemptsMade: number): boolean => attemptsMade >= EVENT_RETRY.limit;

/** Seconds until the next attempt, once `attemptsMade` (≥ 1) attempts failed: 5, 10, 20, 40, 80. */
export const retryDelaySeconds = (attemptsMade: number): number => EVENT_RETRY.firstDelaySeconds * 2 ** Math.max(0, attemptsMade - 1);
