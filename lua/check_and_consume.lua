-- Atomic check-and-consume for WhatsApp sends (issue 3; seeds: plan F2.5.1.T001).
--
-- Everything that decides whether a phone may send happens inside this one script, so no other
-- client can interleave between "read the count" and "increment it": that is what keeps 20 phones
-- at exactly their daily limit however many worker processes race for them.
--
-- One call decides one or more sends, in order (the client gathers the checks made in the same
-- tick into one call: ADR 0004). Each decision is the same as if it ran alone, and the whole call is
-- atomic, so a batch only ever adds atomicity.
--
-- ARGV[1]  ttlSeconds           counter lifetime (48 h): the key outlives its day for the roll-over job
-- Then per decision i (1-based):
-- KEYS[2i-1]  phone mirror hash  phone:status:{phoneId}   fields: status, enabled ("1"/"0"), limit
-- KEYS[2i]    day counter        quota:{tenantId}:{phoneId}:{yyyy-mm-dd}  (Bucharest-local date)
-- ARGV[3i-1]  cost               "1" = new contact (counted), "0" = follow-up (never counted)
-- ARGV[3i]    windowOpen         "1" / "0", computed by the caller with a real time-zone library
-- ARGV[3i+1]  defaultLimit       used when the mirror carries no limit of its own
--
-- Reply: one entry per decision, { allowed (1/0), reason, used, limit, status }, or an error reply
-- for that decision alone (a wrong key type, say): the others are still decided.
-- The order of the checks is the order of the seeds: phone status, sending window, quota.
-- When to retry after OUTSIDE_WINDOW or QUOTA_EXHAUSTED is the caller's to say (it computed the
-- window): nothing the script does not need crosses the wire (bench:quota counts every byte).

local ttl = tonumber(ARGV[1])

local function decide(phoneKey, counterKey, cost, windowOpen, defaultLimit)
  local phone = redis.call('HMGET', phoneKey, 'status', 'enabled', 'limit')
  local status, enabled, phoneLimit = phone[1], phone[2], phone[3]

  local limit = tonumber(phoneLimit) or tonumber(defaultLimit)
  local used = tonumber(redis.call('GET', counterKey) or '0')

  if not status then
    return { 0, 'PHONE_UNKNOWN', used, limit, '' }
  end
  -- A disabled phone refuses exactly like a paused one: the reason the UI shows comes from `status`.
  if status ~= 'ACTIVE' or enabled == '0' then
    return { 0, 'PHONE_NOT_ACTIVE', used, limit, status }
  end
  if windowOpen ~= '1' then
    return { 0, 'OUTSIDE_WINDOW', used, limit, status }
  end
  if cost == '0' then
    -- Follow-ups are unlimited: allowed at 200/200, and they never touch the counter.
    return { 1, 'ALLOWED', used, limit, status }
  end
  if used >= limit then
    return { 0, 'QUOTA_EXHAUSTED', used, limit, status }
  end

  used = redis.call('INCR', counterKey)
  if used == 1 then
    -- TTL only on creation: every later INCR keeps it, and writers that SET the key pass EX themselves.
    redis.call('EXPIRE', counterKey, ttl)
  end
  return { 1, 'ALLOWED', used, limit, status }
end

local replies = {}
for i = 1, #KEYS / 2 do
  local ok, reply = pcall(decide, KEYS[2 * i - 1], KEYS[2 * i], ARGV[3 * i - 1], ARGV[3 * i], ARGV[3 * i + 1])
  if not ok then
    -- Redis 7.0 raises a redis.call error as its message; later versions as a table with `err`.
    reply = redis.error_reply(type(reply) == 'table' and tostring(reply.err) or tostring(reply))
  end
  replies[i] = reply
end
return replies
