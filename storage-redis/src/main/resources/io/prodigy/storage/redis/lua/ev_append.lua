-- Append a batch to one job's log: allocate gap-free sequences after the job's high-water mark, drop events whose id
-- the job already holds (idempotent append), keep the per-job figures, list the job, wake subscribers.
-- The whole batch is fenced: a stale fence appends nothing. Returns the sequence of each id skipped as stored.
-- KEYS[1] stream, KEYS[2] job meta hash, KEYS[3] event-id hash, KEYS[4] jobs index, KEYS[5] fence lock hash
-- ARGV[1] now, ARGV[2] jobs-index member, ARGV[3] hint channel, ARGV[4] fence token ('0' = none), ARGV[5..] six
--   per event: id, time code ('' = stamp now), type, data, correlation ('' = none, else '=' .. value), agent (same)
expect('stream', KEYS[1])
expect('hash', KEYS[2], KEYS[3], KEYS[5])
expect('zset', KEYS[4])
local fenced = fence_check(KEYS[5], ARGV[4])
if fenced then
  return fenced
end
local hw = tonumber(redis.call('HGET', KEYS[2], 'hw') or '0')
local first = 0
local appended = 0
local duplicates = 0
local seen = {}
local stored = {}
local types = {}
local stamp = nil
local mn = redis.call('HGET', KEYS[2], 'mn')
local mx = redis.call('HGET', KEYS[2], 'mx')
for i = 5, #ARGV, 6 do
  local id = ARGV[i]
  local at = redis.call('HGET', KEYS[3], id)
  if seen[id] then
    duplicates = duplicates + 1
  elseif at then
    duplicates = duplicates + 1
    stored[#stored + 1] = id
    stored[#stored + 1] = at
  else
    hw = hw + 1
    seen[id] = true
    if first == 0 then
      first = hw
    end
    local t = ARGV[i + 1]
    if t == '' then
      if stamp == nil then
        stamp = enc(now_us(ARGV[1]))
      end
      t = stamp
    end
    redis.call('XADD', KEYS[1], int(hw) .. '-0', 'i', id, 't', t, 'y', ARGV[i + 2], 'd', ARGV[i + 3],
      'c', ARGV[i + 4], 'a', ARGV[i + 5])
    redis.call('HSET', KEYS[3], id, int(hw))
    types[ARGV[i + 2]] = (types[ARGV[i + 2]] or 0) + 1
    if not mn or t < mn then
      mn = t
    end
    if not mx or t > mx then
      mx = t
    end
    appended = appended + 1
  end
end
if appended > 0 then
  redis.call('HSET', KEYS[2], 'hw', int(hw), 'mn', mn, 'mx', mx)
  redis.call('HINCRBY', KEYS[2], 'n', appended)
  for t, n in pairs(types) do
    redis.call('HINCRBY', KEYS[2], 'y:' .. t, n)
  end
  redis.call('ZADD', KEYS[4], 0, ARGV[2])
  redis.call('PUBLISH', ARGV[3], ARGV[2])
end
return {'OK', first, int(hw), appended, duplicates, stored}
