-- Sliding-window rate limiter over a sorted set (SPEC §4.5, §9).
-- KEYS[1]: the limiter key. ARGV[1]: window in ms, ARGV[2]: limit, ARGV[3]: a unique member.
-- Returns 1 when the request is over the limit (and records nothing), 0 when it is allowed.
-- Uses the Redis server's clock so that every caller agrees on the window.
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  return 1
end
redis.call('ZADD', key, now, ARGV[3])
redis.call('PEXPIRE', key, window)
return 0
