-- Read-only snapshot of many phones in one round trip (phones page, QuotaUsageGrid, allocator).
--
-- KEYS     pairs: phone:status:{phoneId}, quota:{tenantId}:{phoneId}:{date}, … (2 keys per phone)
-- ARGV[1]  defaultLimit when a mirror carries no limit
-- Reply:   flat list, 4 entries per phone: status ('' = not mirrored), enabled ('1'/'0'), limit, used

local out = {}
for i = 1, #KEYS, 2 do
  local phone = redis.call('HMGET', KEYS[i], 'status', 'enabled', 'limit')
  local used = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  out[#out + 1] = phone[1] or ''
  out[#out + 1] = phone[2] or '1'
  out[#out + 1] = tonumber(phone[3]) or tonumber(ARGV[1])
  out[#out + 1] = used
end
return out
