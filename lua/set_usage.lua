-- Writes a day counter for the two operator paths that do not go through check_and_consume.
--
-- KEYS[1]  day counter quota:{tenantId}:{phoneId}:{yyyy-mm-dd}
-- ARGV[1]  value (integer >= 0)
-- ARGV[2]  mode: 'set' = manual adjustment (runbook §3.1, ADMIN only, may lower the count)
--                'max' = resync (runbook §6.1/§6.2): never lowers, because a counter above the
--                        communication log is normal (consumed units whose send is still in flight)
--                        and lowering it would hand those units out twice
-- ARGV[3]  ttlSeconds
-- Reply:   { before, after }

local before = tonumber(redis.call('GET', KEYS[1]) or '0')
local value = tonumber(ARGV[1])
local after = value
if ARGV[2] == 'max' and before > value then
  after = before
end
redis.call('SET', KEYS[1], after, 'EX', tonumber(ARGV[3]))
return { before, after }
