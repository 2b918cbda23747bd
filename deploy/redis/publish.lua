-- pushgate's publish script: RedisWire.PUBLISH_SCRIPT, as the gateway runs it (DocExamplesTest checks the copy).
-- EVAL "$(cat deploy/redis/publish.lua)" 2 <meta> <stream> <channel> <data> <history-size> <history-ttl-ms> <meta-ttl-ms>
local meta_ttl = ARGV[5]
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  local t = redis.call('TIME')
  epoch = string.format('%x%05x', tonumber(t[1]), tonumber(t[2]))
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
  if tonumber(meta_ttl) > 0 then redis.call('PEXPIRE', KEYS[1], meta_ttl) end
  redis.call('DEL', KEYS[2])
end
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local size = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local id = string.format('%d', offset)
if size > 0 and ttl > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', size, id .. '-0', 'd', ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ttl)
end
if tonumber(meta_ttl) > 0 then redis.call('PEXPIRE', KEYS[1], math.max(tonumber(meta_ttl), ttl)) end
redis.call('PUBLISH', ARGV[1], '{"seq":' .. id .. ',"epoch":"' .. epoch .. '","data":' .. ARGV[2] .. '}')
return {offset, epoch}
