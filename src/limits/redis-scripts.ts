// Lua scripts run atomically by Redis: one round trip checks and charges every limit of a key, so two
// replicas can never both take the last unit. Time comes from Redis (TIME), so replica clocks do not
// matter. Every key gets a TTL: an idle API key leaves nothing behind.
//
// KEYS: 1 rpm window (zset: member = lease id, score = admit ms; or, above EXACT_RPM_MAX, a hash of
// second -> count so memory stays constant), 2 concurrency (zset: score = lease expiry ms), 3 tpm bucket
// (hash: level, at), 4 budget used in the period (integer string).

/**
 * ARGV: lease id, rpm, max concurrent, lease ms, tpm, estimate, budget, budget ttl ms, rpm by seconds (1)
 * or exact (0), budget seed (-1 = unknown), grant size wanted (0 = none), grant headroom ratio, tokens a
 * grant reserves per admission (≥ the estimate; default the estimate). 0 disables a limit. Returns
 * {status, value, second}: 1 admitted; 0 rpm (retry ms); 2 concurrency; 3 tpm (retry ms); 4 budget (tokens
 * used); -1 the budget counter is missing: call again with a seed; 5 a grant of `value` admissions charged at
 * once (rpm members id#1..k, slots id#c1..k, k × per-admission tokens), `second` the rpm bucket they went to.
 *
 * A grant is given only while every limit has at least ratio × k admissions of headroom left, so near a
 * limit each request is checked on its own, exactly as without grants.
 */
export const ADMIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local rpm = tonumber(ARGV[2])
local maxcc = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local tpm = tonumber(ARGV[5])
local est = tonumber(ARGV[6])
local budget = tonumber(ARGV[7])
local budgetTtl = tonumber(ARGV[8])
local bySecond = ARGV[9] == '1'
local seed = tonumber(ARGV[10])
local want = tonumber(ARGV[11] or '0')
local ratio = tonumber(ARGV[12] or '8')
local per = math.max(est, tonumber(ARGV[13] or ARGV[6]))
local nowS = math.floor(now / 1000)
-- Headroom in admissions of this size, the smallest over the limits set (a large number when none binds).
local room = 1e9

local used = 0
if budget > 0 then
  local v = redis.call('GET', KEYS[4])
  if v then
    used = tonumber(v)
  elseif seed < 0 then
    return {-1, 0}
  else
    used = seed
  end
  if used + est > budget then return {4, used} end
  if per > 0 then room = math.min(room, math.floor((budget - used) / per)) end
end
if rpm > 0 and bySecond then
  local h = redis.call('HGETALL', KEYS[1])
  local count = 0
  local oldest = nil
  for i = 1, #h, 2 do
    local sec = tonumber(h[i])
    if sec <= nowS - 60 then
      redis.call('HDEL', KEYS[1], h[i])
    else
      count = count + tonumber(h[i + 1])
      if oldest == nil or sec < oldest then oldest = sec end
    end
  end
  if count >= rpm then return {0, (oldest + 60) * 1000 - now} end
  room = math.min(room, rpm - count)
elseif rpm > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
  local count = redis.call('ZCARD', KEYS[1])
  if count >= rpm then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, tonumber(oldest[2]) + 60000 - now}
  end
  room = math.min(room, rpm - count)
end
if maxcc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  local held = redis.call('ZCARD', KEYS[2])
  if held >= maxcc then return {2, 0} end
  room = math.min(room, maxcc - held)
end
local level = 0
if tpm > 0 then
  local h = redis.call('HMGET', KEYS[3], 'level', 'at')
  level = tpm
  if h[1] then level = math.min(tpm, tonumber(h[1]) + (now - tonumber(h[2])) * tpm / 60000) end
  local need = math.min(est, tpm)
  if level < need then return {3, math.ceil((need - level) * 60000 / tpm)} end
  if per > 0 then room = math.min(room, math.floor(level / per)) end
end

local k = 1
if want >= 2 then k = math.min(want, math.floor(room / ratio)) end
if k >= 2 then
  local members = {}
  if rpm > 0 and bySecond then
    redis.call('HINCRBY', KEYS[1], nowS, k)
    redis.call('PEXPIRE', KEYS[1], 61000)
  elseif rpm > 0 then
    for i = 1, k do members[2 * i - 1] = now; members[2 * i] = id .. '#' .. i end
    redis.call('ZADD', KEYS[1], unpack(members))
    redis.call('PEXPIRE', KEYS[1], 60000)
  end
  if maxcc > 0 then
    for i = 1, k do members[2 * i - 1] = now + lease; members[2 * i] = id .. '#c' .. i end
    redis.call('ZADD', KEYS[2], unpack(members, 1, 2 * k))
    redis.call('PEXPIRE', KEYS[2], lease)
  end
  if tpm > 0 then
    level = level - k * per
    redis.call('HSET', KEYS[3], 'level', tostring(level), 'at', now)
    redis.call('PEXPIRE', KEYS[3], math.ceil((tpm - level) * 60000 / tpm) + 1000)
  end
  if budget > 0 then
    redis.call('SET', KEYS[4], used + k * per, 'PX', budgetTtl)
  end
  return {5, k, nowS}
end

if rpm > 0 and bySecond then
  redis.call('HINCRBY', KEYS[1], nowS, 1)
  redis.call('PEXPIRE', KEYS[1], 61000)
elseif rpm > 0 then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], 60000)
end
if maxcc > 0 then
  redis.call('ZADD', KEYS[2], now + lease, id)
  redis.call('PEXPIRE', KEYS[2], lease)
end
if tpm > 0 then
  level = level - est
  redis.call('HSET', KEYS[3], 'level', tostring(level), 'at', now)
  redis.call('PEXPIRE', KEYS[3], math.ceil((tpm - level) * 60000 / tpm) + 1000)
end
if budget > 0 then
  redis.call('SET', KEYS[4], used + est, 'PX', budgetTtl)
end
return {1, 0}
`;

/**
 * Lua: gives `tokens` back (negative: takes more) to the tpm bucket at `key`, refilled to now and never above
 * its size, with its TTL renewed; and to the budget counter at `budgetKey` when `budgetOn` > 0 and the
 * counter exists. Expects a local `tpm` (0 = no tpm limit).
 */
function giveTokensBack(key: string, budgetKey: string, budgetOn: string, tokens: string): string {
  return `if tpm > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local h = redis.call('HMGET', ${key}, 'level', 'at')
  local level = tpm
  if h[1] then level = math.min(tpm, tonumber(h[1]) + (now - tonumber(h[2])) * tpm / 60000) end
  level = math.min(tpm, level + (${tokens}))
  redis.call('HSET', ${key}, 'level', tostring(level), 'at', now)
  redis.call('PEXPIRE', ${key}, math.max(1, math.ceil((tpm - level) * 60000 / tpm) + 1000))
end
if tonumber(${budgetOn}) > 0 and redis.call('EXISTS', ${budgetKey}) == 1 then
  redis.call('DECRBY', ${budgetKey}, ${tokens})
end`;
}

/**
 * KEYS: 1 concurrency zset, 2 tpm hash, 3 budget counter. ARGV: lease id, delta (actual - estimate),
 * tpm (0 = none), budget (0 = none). Frees the slot and moves tpm and budget by the difference.
 */
export const RELEASE_SCRIPT = `
redis.call('ZREM', KEYS[1], ARGV[1])
local delta = tonumber(ARGV[2])
if delta == 0 then return 0 end
local tpm = tonumber(ARGV[3])
${giveTokensBack("KEYS[2]", "KEYS[3]", "ARGV[4]", "-delta")}
return 0
`;

/**
 * Gives back what a grant did not use. KEYS: 1 rpm window, 2 concurrency zset, 3 tpm hash, 4 budget counter.
 * ARGV: grant id, rpm members from (first unused, 1-based; 0 = none), rpm members to, rpm by seconds (1),
 * the grant's rpm second, concurrency members from (0 = none), to, tokens back (negative: more were used
 * than charged), tpm (0 = none), budget (0 = none).
 */
export const RETURN_SCRIPT = `
local id = ARGV[1]
local rFrom = tonumber(ARGV[2])
local rTo = tonumber(ARGV[3])
if rFrom > 0 and rTo >= rFrom then
  if ARGV[4] == '1' then
    if redis.call('HEXISTS', KEYS[1], ARGV[5]) == 1 then redis.call('HINCRBY', KEYS[1], ARGV[5], rFrom - rTo - 1) end
  else
    local m = {}
    for i = rFrom, rTo do m[#m + 1] = id .. '#' .. i end
    redis.call('ZREM', KEYS[1], unpack(m))
  end
end
local cFrom = tonumber(ARGV[6])
local cTo = tonumber(ARGV[7])
if cFrom > 0 and cTo >= cFrom then
  local m = {}
  for i = cFrom, cTo do m[#m + 1] = id .. '#c' .. i end
  redis.call('ZREM', KEYS[2], unpack(m))
end
local back = tonumber(ARGV[8])
if back == 0 then return 0 end
local tpm = tonumber(ARGV[9])
${giveTokensBack("KEYS[3]", "KEYS[4]", "ARGV[10]", "back")}
return 0
`;
