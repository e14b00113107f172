-- Load-aware leadership (SPEC §7.2): publish one instance's load and liveness, prune the instances
-- that stopped publishing, and return what every instance needs to rank the live ones.
-- KEYS[1]: load set (member = instance id, score = load 0-100)
-- KEYS[2]: liveness set (member = instance id, score = when it last published, Redis ms)
-- ARGV[1]: instance id, ARGV[2]: its load, ARGV[3]: live window in ms, ARGV[4]: TTL of both sets
-- Returns {now, {id, load, ...}, {id, seen, ...}}, now in Redis-clock milliseconds.
-- Liveness uses the Redis server's clock, so instances on hosts whose clocks differ still agree on
-- who is live.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
-- Members not seen within the window are dead: drop them from both sets (scores are integers, so
-- "older than now - window" is "at most now - window - 1").
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - window - 1)
for _, member in ipairs(dead) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZREM', KEYS[2], member)
end
-- Sets nobody publishes to any more (every instance gone, a test's keys) vanish on their own.
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {now, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'),
  redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}
