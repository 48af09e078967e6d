-- Append a batch to one job's log: allocate gap-free sequences after the job's high-water mark, drop events whose id
-- the job already holds (idempotent append), keep the per-job figures, list the job, wake subscribers.
-- KEYS[1] stream, KEYS[2] job meta hash, KEYS[3] event-id hash, KEYS[4] jobs index
-- ARGV[1] now, ARGV[2] jobs-index member, ARGV[3] hint channel, ARGV[4..] six per event:
--   id, time code ('' = stamp now), type, data, correlation ('' = none, else '=' .. value), agent (same)
expect('stream', KEYS[1])
expect('hash', KEYS[2], KEYS[3])
expect('zset', KEYS[4])
local hw = tonumber(redis.call('HGET', KEYS[2], 'hw') or '0')
local first = 0
local appended = 0
local duplicates = 0
local seen = {}
local types = {}
local stamp = nil
local mn = redis.call('HGET', KEYS[2], 'mn')
local mx = redis.call('HGET', KEYS[2], 'mx')
for i = 4, #ARGV, 6 do
  local id = ARGV[i]
  if seen[id] or redis.call('HEXISTS', KEYS[3], id) == 1 then
    duplicates = duplicates + 1
  else
    seen[id] = true
    hw = hw + 1
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
return {first, hw, appended, duplicates}
