// The Lua scripts of the Redis store. Each runs atomically in Redis and reads Redis' own
// clock (TIME), so workers on machines whose clocks disagree still share one count.
//
// A bucket is three keys with one hash tag (one cluster slot):
//   <prefix>{<hash>}:held   ZSET  permits in flight: member = permit id, score = lease expiry (ms)
//   <prefix>{<hash>}:ends   ZSET  (sliding window) when responses ended: member = permit id, score = ms
//   <prefix>{<hash>}:state  HASH  seq (permit ids), pause (ms: no permit before), and for a
//                                 token bucket its level (token-ms) and last (ms of the last refill)
// The counting is the in-process store's (js/client/ratelimit.js), step for step: a request
// holds its slot or token from acquire until release, and is counted at release. A lease
// that runs out (its process died) counts as a request that ended when the lease ran out.
//
// ARGV of every script: kind ('window' | 'bucket'), limit, windowMs, burst, then its own.
// Numbers are written with %.17g, so a value read back is the value written.

const PRELUDE = `
local held, ends, state = KEYS[1], KEYS[2], KEYS[3]
local kind = ARGV[1]
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local full = burst * window
local level = 0

if kind == 'bucket' then
  level = tonumber(redis.call('HGET', state, 'level') or full)
  local last = tonumber(redis.call('HGET', state, 'last') or now)
  if now > last then level = level + (now - last) * limit end
  if level > full then level = full end
end

-- Leases that ran out: their requests count as ended now (a bucket spends the token).
local gone = redis.call('ZRANGEBYSCORE', held, '-inf', now, 'WITHSCORES')
if #gone > 0 then
  redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
  for i = 1, #gone, 2 do
    if kind == 'window' then redis.call('ZADD', ends, gone[i + 1], gone[i]) else level = level - window end
  end
end
if kind == 'window' then redis.call('ZREMRANGEBYSCORE', ends, '-inf', now - window) end

-- Writes the bucket back and lets the keys expire once nothing in them matters any more.
local function finish()
  if kind == 'bucket' then
    redis.call('HSET', state, 'level', string.format('%.17g', level), 'last', string.format('%.17g', now))
  end
  local ahead = 0
  local lease = redis.call('ZRANGE', held, -1, -1, 'WITHSCORES')
  if #lease > 0 then ahead = tonumber(lease[2]) - now end
  local pause = tonumber(redis.call('HGET', state, 'pause') or 0)
  if pause - now > ahead then ahead = pause - now end
  local ttl = math.ceil(ahead + window + 1000)
  if kind == 'bucket' then ttl = ttl + math.ceil(full / limit) end
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
end
`;

/**
 * ARGV[5] leaseMs, ARGV[6] the longest wait to answer while every permit is in flight.
 * Returns {1, permit id, 0} or {0, wait ms, blocked}: blocked is 1 when only a release (or a
 * lease running out) frees a permit, so the caller should ask again rather than trust the wait.
 */
export const ACQUIRE = `${PRELUDE}
local lease = tonumber(ARGV[5])
local reply
local pause = tonumber(redis.call('HGET', state, 'pause') or 0)
local inflight = redis.call('ZCARD', held)
local function blocked()
  local first = redis.call('ZRANGE', held, 0, 0, 'WITHSCORES')
  return {0, math.min(tonumber(ARGV[6]), tonumber(first[2]) - now), 1}
end
if pause > now then
  reply = {0, pause - now, 0}
elseif kind == 'window' then
  local nends = redis.call('ZCARD', ends)
  local busy = inflight + nends
  if busy >= limit then
    local k = busy - limit -- the (k+1)-th oldest end must leave the window
    if k < nends then
      local e = redis.call('ZRANGE', ends, k, k, 'WITHSCORES')
      reply = {0, tonumber(e[2]) + window - now, 0}
    else
      reply = blocked()
    end
  end
else
  local available = level - inflight * window
  if available < window then
    if burst - inflight < 1 then reply = blocked() else reply = {0, math.ceil((window - available) / limit), 0} end
  end
end
if not reply then
  local id = redis.call('HINCRBY', state, 'seq', 1)
  redis.call('ZADD', held, now + lease, id)
  reply = {1, id, 0}
end
finish()
return reply
`;

/**
 * ARGV[5] permit id, ARGV[6] '1' when the request was sent (it counts), '0' when not.
 * Returns 1, or 0 when the lease had run out already (it was counted then).
 */
export const RELEASE = `${PRELUDE}
local removed = redis.call('ZREM', held, ARGV[5])
if removed == 1 and ARGV[6] == '1' then
  if kind == 'window' then redis.call('ZADD', ends, now, ARGV[5]) else level = level - window end
end
finish()
return removed
`;

/** ARGV[5] ms: no permit is granted for that long. Returns the pause left (ms). */
export const PAUSE = `${PRELUDE}
local untilMs = now + tonumber(ARGV[5])
local pause = tonumber(redis.call('HGET', state, 'pause') or 0)
if untilMs > pause then
  redis.call('HSET', state, 'pause', string.format('%.17g', untilMs))
  pause = untilMs
end
finish()
return pause - now
`;

/**
 * ARGV[5] remaining: whole tokens the server said it had left (Saber X-Ratelimit-Remaining).
 * Counting every permit in flight as not yet seen by the server, the bucket may then hold at
 * most remaining + inflight tokens and a fraction: the header only ever lowers the level.
 */
export const OBSERVE = `${PRELUDE}
if kind == 'bucket' then
  local cap = (tonumber(ARGV[5]) + 1 + redis.call('ZCARD', held)) * window - 1
  if level > cap then level = cap end
end
finish()
return 1
`;

/** ARGV[5] permit id, ARGV[6] leaseMs: extends a lease still held. Returns 1, or 0 if it is gone. */
export const RENEW = `${PRELUDE}
local renewed = 0
if redis.call('ZSCORE', held, ARGV[5]) then
  redis.call('ZADD', held, 'XX', now + tonumber(ARGV[6]), ARGV[5])
  renewed = 1
end
finish()
return renewed
`;
