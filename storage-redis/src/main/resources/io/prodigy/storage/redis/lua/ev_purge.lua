-- One chunk of a purge: delete the events older than the cut-off among the next entries after a sequence, keep the
-- figures, and fold the survivors' time range. The last chunk (fewer entries than asked) reaches the end of the log
-- in the same step, so it can publish the folded range exactly, unless another purge deleted events meanwhile (the
-- purge version 'pv' moved): then the caller scans again from the start.
-- KEYS[1] stream, KEYS[2] job meta hash, KEYS[3] event-id hash, KEYS[4] jobs index
-- ARGV[1] after sequence, ARGV[2] cut-off time code, ARGV[3] count, ARGV[4] survivors' min so far ('' none),
-- ARGV[5] max so far, ARGV[6] purge version the caller saw ('' = first chunk), ARGV[7] jobs-index member,
-- ARGV[8] fence token ('0' = none; checked by every chunk); KEYS[5] fence lock hash
expect('hash', KEYS[5])
local fenced = fence_check(KEYS[5], ARGV[8])
if fenced then
  return fenced
end
local pv = redis.call('HGET', KEYS[2], 'pv') or '0'
if ARGV[6] ~= '' and ARGV[6] ~= pv then
  return {'RESTART', pv}
end
local entries = redis.call('XRANGE', KEYS[1], int(tonumber(ARGV[1]) + 1) .. '-0', '+', 'COUNT', ARGV[3])
local mn = ARGV[4]
local mx = ARGV[5]
local deleted = 0
local last = ARGV[1]
for _, e in ipairs(entries) do
  local f = e[2]
  local id, t, y = f[2], f[4], f[6]
  last = string.sub(e[1], 1, string.find(e[1], '-', 1, true) - 1)
  if t < ARGV[2] then
    redis.call('XDEL', KEYS[1], e[1])
    redis.call('HDEL', KEYS[3], id)
    if redis.call('HINCRBY', KEYS[2], 'y:' .. y, -1) <= 0 then
      redis.call('HDEL', KEYS[2], 'y:' .. y)
    end
    redis.call('HINCRBY', KEYS[2], 'n', -1)
    deleted = deleted + 1
  else
    if mn == '' or t < mn then
      mn = t
    end
    if mx == '' or t > mx then
      mx = t
    end
  end
end
if deleted > 0 then
  pv = int(tonumber(pv) + 1)
  redis.call('HSET', KEYS[2], 'pv', pv)
end
if #entries < tonumber(ARGV[3]) then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    if mn == '' then
      redis.call('HDEL', KEYS[2], 'mn', 'mx')
    else
      redis.call('HSET', KEYS[2], 'mn', mn, 'mx', mx)
    end
  end
  if redis.call('XLEN', KEYS[1]) == 0 then
    redis.call('ZREM', KEYS[4], ARGV[7])
  end
  return {'DONE', last, deleted, pv, mn, mx}
end
return {'MORE', last, deleted, pv, mn, mx}
