-- Versioned cache entries (article-svc, README "Caches"). A value is "<version>|<body>", the
-- version being the article's utime (it only grows). Sets KEYS[1] to ARGV[1] .. "|" .. ARGV[2]
-- with a TTL of ARGV[3] ms unless the key holds a newer version: a reader that loaded an old row
-- before a write committed can then never put the old row back over what the write left there.
-- Returns 1 when set, 0 when a newer version was kept.
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, '|', 1, true)
  local version = sep and tonumber(string.sub(current, 1, sep - 1))
  if version and version > tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
