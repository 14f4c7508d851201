-- Atomic check-and-consume for one WhatsApp send (issue 3; seeds: plan F2.5.1.T001).
--
-- Everything that decides whether a phone may send happens inside this one script, so no other
-- client can interleave between "read the count" and "increment it": that is what keeps 20 phones
-- at exactly their daily limit however many worker processes race for them.
--
-- KEYS[1]  phone mirror hash  phone:status:{phoneId}   fields: status, enabled ("1"/"0"), limit
-- KEYS[2]  day counter        quota:{tenantId}:{phoneId}:{yyyy-mm-dd}  (Bucharest-local date)
-- ARGV[1]  cost               "1" = new contact (counted), "0" = follow-up (never counted)
-- ARGV[2]  windowOpen         "1" / "0", computed by the caller with a real time-zone library
-- ARGV[3]  defaultLimit       used when the mirror carries no limit of its own
-- ARGV[4]  ttlSeconds         counter lifetime (48 h): the key outlives its day for the roll-over job
-- ARGV[5]  retryAtClosed      epoch ms of the next window opening (returned with OUTSIDE_WINDOW)
-- ARGV[6]  retryAtNextDay     epoch ms of the first opening on a later date (with QUOTA_EXHAUSTED)
--
-- Reply: { allowed (1/0), reason, used, limit, retryAtMs (0 = none), status }
-- The order of the checks is the order of the seeds: phone status, sending window, quota.

local phone = redis.call('HMGET', KEYS[1], 'status', 'enabled', 'limit')
local status, enabled, phoneLimit = phone[1], phone[2], phone[3]

local limit = tonumber(phoneLimit) or tonumber(ARGV[3])
local used = tonumber(redis.call('GET', KEYS[2]) or '0')

if not status then
  return { 0, 'PHONE_UNKNOWN', used, limit, 0, '' }
end
-- A disabled phone refuses exactly like a paused one: the reason the UI shows comes from `status`.
if status ~= 'ACTIVE' or enabled == '0' then
  return { 0, 'PHONE_NOT_ACTIVE', used, limit, 0, status }
end
if ARGV[2] ~= '1' then
  return { 0, 'OUTSIDE_WINDOW', used, limit, tonumber(ARGV[5]), status }
end
if ARGV[1] == '0' then
  -- Follow-ups are unlimited: allowed at 200/200, and they never touch the counter.
  return { 1, 'ALLOWED', used, limit, 0, status }
end
if used >= limit then
  return { 0, 'QUOTA_EXHAUSTED', used, limit, tonumber(ARGV[6]), status }
end

used = redis.call('INCR', KEYS[2])
if used == 1 then
  -- TTL only on creation: every later INCR keeps it, and writers that SET the key pass EX themselves.
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return { 1, 'ALLOWED', used, limit, 0, status }
