-- Create (expected revision 0) or update (matching revision) a versioned record, fenced, with its indexes. On a
-- revision mismatch nothing is written and the stored version is returned: body, 'upd', the extra fields.
-- KEYS[1] record hash, KEYS[2] fence lock hash
-- ARGV[1] now, ARGV[2] fence token ('0' = none), ARGV[3] expected revision, ARGV[4] body, ARGV[5] index entries,
-- ARGV[6..] extra field/value pairs
local now = now_us(ARGV[1])
expect('hash', KEYS[1], KEYS[2])
local fenced = fence_check(KEYS[2], ARGV[2])
if fenced then
  return fenced
end
local old = redis.call('HMGET', KEYS[1], 'rev', 'ix')
local current = tonumber(old[1] or '0')
if current ~= tonumber(ARGV[3]) then
  -- The stored version, for the shared rule (Revisions): a retry of this very write, or a conflict.
  local out = {'CONFLICT', int(current), redis.call('HGET', KEYS[1], 'body') or false,
    redis.call('HGET', KEYS[1], 'upd') or false}
  for i = 6, #ARGV, 2 do
    out[#out + 1] = redis.call('HGET', KEYS[1], ARGV[i]) or false
  end
  return out
end
index_remove(old[2])
local rev = current + 1
redis.call('HSET', KEYS[1], 'body', ARGV[4], 'rev', int(rev), 'upd', int(now), 'ix', ARGV[5])
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
index_add(ARGV[5])
return {'OK', rev, now}
