-- LeaseStore.grant: if the key has no live lease, the next token and a fresh lease. The hash is never deleted, so
-- 'tok' is the key's high-water mark; the new token is tok + 1, and at least the server's TIME in microseconds, so
-- tokens keep rising even after a restart lost the counter or brought back an older one (docs/redis.md).
-- KEYS[1] lock hash {prefix}l/<key>; ARGV[1] ttl in microseconds, ARGV[2] holder, ARGV[3] owner,
-- ARGV[4] now in microseconds (only with the client clock; absent: the server's TIME)
-- Returns nil if a live lease holds the key; the token if it equals the grant's time (the usual case with the
-- server clock: one integer); else {token, time}. The caller knows every other field of the row it asked for.
--
-- A grant is held while its mark 'h/<holder>/<token>' exists (and it has not lapsed): release is then one plain
-- HDEL of the mark, which is a compare (holder and token) and a delete in one command. 'holder' names the last
-- grant's holder; a grant that takes over a lapsed lease deletes that lease's mark, so its release fails. Rows
-- without 'v' were written by the earlier scripts, which had no mark: there a set 'holder' means held.
--
-- The hot path of every lock user, so it runs without the prelude and does only what the rule needs, measured in
-- docs/perf.md: TIME (the clock and the token floor), HMGET, HSET, and HEXISTS or HDEL of the last mark. Every call
-- and every argument of a script costs the server more than a plain command does. The held-keys index
-- {prefix}l.held (the only key derived here, in the same slot) lists every key ever granted and is never trimmed,
-- so only a row without 'v' (its first grant, or a row of the earlier scripts) is added to it. No type guards:
-- HMGET refuses a foreign KEYS[1] and ZADD a foreign index with WRONGTYPE, both before the first write.
local t = redis.call('TIME')
local st = t[1] * 1000000 + t[2]
local now = st
if ARGV[4] then
  now = tonumber(ARGV[4])
end
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok', 'v')
if h[1] then
  local live = tonumber(h[2]) > now
  if h[4] ~= '2' then
    if live then
      return false
    end
  else
    local mark = 'h/' .. h[1] .. '/' .. h[3]
    if live then
      if redis.call('HEXISTS', KEYS[1], mark) == 1 then
        return false
      end
    else
      redis.call('HDEL', KEYS[1], mark)
    end
  end
end
local tok = tonumber(h[3] or '0') + 1
if tok < st then
  tok = st
end
if h[4] ~= '2' then
  local prefix, key = string.match(KEYS[1], '^({[^}]*})l/(.*)$')
  redis.call('ZADD', prefix .. 'l.held', 0, key)
  redis.call('HSET', KEYS[1], 'v', '2')
end
local acq = string.format('%d', now)
local ts = acq
if tok ~= now then
  ts = string.format('%d', tok)
end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'owner', ARGV[3], 'acq', acq, 'ttl', ARGV[1],
  'exp', string.format('%d', now + ARGV[1]), 'tok', ts, 'rv', '0', 'h/' .. ARGV[2] .. '/' .. ts, '1')
if tok == now then
  return tok
end
return {tok, now}
