-- Stores a fresh one-time code (SPEC §4.4). Atomic: concurrent sends for one phone store one code.
-- KEYS[1]: phone_code:<biz>:<phone>   KEYS[2]: <KEYS[1]>:cnt (remaining attempts)
-- ARGV[1]: the code   ARGV[2]: ttl in seconds (600)   ARGV[3]: resend interval in seconds (60)
-- ARGV[4]: attempts (3)
-- Returns 0 stored, -1 too frequent (last send less than ARGV[3] ago), -2 the key has no expiry
-- (someone wrote it by hand or a bug did: refuse rather than keep a code forever).
local ttl = redis.call('TTL', KEYS[1])
if ttl == -1 then
  return -2
end
local full = tonumber(ARGV[2])
if ttl == -2 or ttl < full - tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', full)
  redis.call('SET', KEYS[2], ARGV[4], 'EX', full)
  return 0
end
return -1
