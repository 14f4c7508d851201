-- Gives back one unit consumed by check_and_consume when the send then failed before it reached
-- the provider (nothing left the building, so the lead was not contacted).
--
-- KEYS[1]  day counter quota:{tenantId}:{phoneId}:{yyyy-mm-dd} (the date of the consumption)
-- Reply:   { released (1/0), used after }
--
-- Never goes below zero and never creates a key: a release after the counter expired, or after a
-- Redis restart that lost it, is a no-op rather than a negative balance that would hand out extra
-- sends later.

local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then
  return { 0, 0 }
end
-- DECR keeps the key's TTL.
return { 1, redis.call('DECR', KEYS[1]) }
