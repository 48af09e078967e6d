-- Claim up to n items of one job's queue, oldest available first: walk the index from the oldest entry, skip items
-- under a live claim, give each claimed item a fresh token. Cost: the entries walked.
-- KEYS[1] job's item index, KEYS[2] fence lock hash
-- ARGV[1] now, ARGV[2] worker, ARGV[3] n, ARGV[4] lease in microseconds, ARGV[5] token prefix,
-- ARGV[6] key prefix of the job's items (item key = prefix .. item id), ARGV[7] fence token ('0' = none)
-- No type guards: the only writes are to item hashes HMGET has just read (it refuses a foreign key), and the fence
-- hash is only read.
local fenced = fence_check(KEYS[2], ARGV[7])
if fenced then
  return fenced
end
local now = now_us(ARGV[1])
local want = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local out = {}
local cursor = '-'
while #out < want do
  local page = redis.call('ZRANGE', KEYS[1], cursor, '+', 'BYLEX', 'LIMIT', 0, 100)
  if #page == 0 then
    break
  end
  for _, member in ipairs(page) do
    local id = string.sub(member, 22)
    local key = ARGV[6] .. id
    local f = redis.call('HMGET', key, 'cexp', 'body', 'ver')
    if f[2] and (not f[1] or tonumber(f[1]) <= now) then
      local token = ARGV[5] .. int(#out + 1)
      local ver = int(tonumber(f[3]) + 1)
      redis.call('HSET', key, 'ct', token, 'cw', ARGV[2], 'cat', int(now), 'cexp', int(now + lease), 'ver', ver)
      out[#out + 1] = {id, f[2], ver, token, int(now), int(now + lease)}
      if #out >= want then
        break
      end
    end
  end
  cursor = '(' .. page[#page]
end
return {'OK', out}
