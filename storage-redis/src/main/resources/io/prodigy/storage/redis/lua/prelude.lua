-- Shared by every script (prepended when the script is loaded). Conventions:
--  * times are integers of microseconds since the epoch; an argument below 0 means "use the server's TIME";
--  * every integer written to Redis goes through int(): Lua's own number-to-string keeps 14 digits only;
--  * index memberships of a record are kept in its 'ix' field as netstrings (len:key len:member ...), so a write
--    removes exactly the old entries whatever changed; index members start with a 21-character time code.
local function int(n)
  return string.format('%d', n)
end

local function server_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function now_us(arg)
  local n = tonumber(arg)
  if n ~= nil and n >= 0 then
    return n
  end
  return server_now()
end

-- The 21-character time code of docs/backends/redis.md: seconds since 0000-01-01T00:00:00Z (12 digits), then
-- nanoseconds (9 digits). Fixed width, so byte order is time order.
local function enc(us)
  local s = math.floor(us / 1000000)
  return string.format('%012d%09d', s + 62167219200, (us - s * 1000000) * 1000)
end

-- Refuses, before anything is written, to touch a key that holds another type: another program writes under this
-- key prefix. (Redis does not roll a script back, so the check must come before the first write.)
local function expect(kind, ...)
  for _, key in ipairs({...}) do
    local t = redis.call('TYPE', key)['ok']
    if t ~= 'none' and t ~= kind then
      error({err = 'WRONGTYPE key ' .. key .. ' holds a ' .. t .. ', not a ' .. kind})
    end
  end
end

-- nil if the write may proceed, else the reply {'FENCED', token, revoked} for the caller to turn into the shared
-- fence rule's error (LeaseState.checkFence). Token '0' means no fence. A fence passes only with the key's last
-- granted token ('tok') while that grant is not revoked by a forced release ('rv'): a lower token was superseded, a
-- higher one was never granted by this store (or the server lost the counter), so it proves nothing.
local function fence_check(lockkey, token)
  local presented = tonumber(token)
  if presented == 0 then
    return nil
  end
  local f = redis.call('HMGET', lockkey, 'tok', 'rv')
  local current = tonumber(f[1] or '0')
  if current ~= presented or f[2] == '1' then
    return {'FENCED', int(current), f[2] or '0'}
  end
  return nil
end

-- The holder of a lock row (KEYS: a lock hash) while its grant is unreleased, else false. Rows the lock scripts keep
-- ('v' = 2) mark an unreleased grant with the field 'h/<holder>/<token>' (lock_grant); rows of the earlier scripts
-- had no mark: a set holder was the holder.
local function lock_holder(key, holder, tok, v)
  if holder and v == '2' and redis.call('HEXISTS', key, 'h/' .. holder .. '/' .. tok) == 0 then
    return false
  end
  return holder
end

-- The guard of a script that changes one DLQ item (KEYS[1] item hash, KEYS[2] job's item index, KEYS[3] jobs index,
-- KEYS[4] fence lock hash): the keys' types, then the fence; nil or the FENCED reply, as fence_check.
local function dlq_item_guard(token)
  expect('hash', KEYS[1], KEYS[4])
  expect('zset', KEYS[2], KEYS[3])
  return fence_check(KEYS[4], token)
end

local function parse_netstrings(s)
  local out = {}
  local i = 1
  if s == nil or s == false then
    return out
  end
  while i <= #s do
    local c = string.find(s, ':', i, true)
    local n = tonumber(string.sub(s, i, c - 1))
    out[#out + 1] = string.sub(s, c + 1, c + n)
    i = c + n + 1
  end
  return out
end

local function index_add(ix)
  local p = parse_netstrings(ix)
  for i = 1, #p, 2 do
    redis.call('ZADD', p[i], 0, p[i + 1])
  end
end

local function index_remove(ix)
  local p = parse_netstrings(ix)
  for i = 1, #p, 2 do
    redis.call('ZREM', p[i], p[i + 1])
  end
end

