-- Deletes up to ARGV[3] dead jobs of a queue, hashes included. ARGV: 1 prefix, 2 queue, 3 limit
local prefix, queue, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local dead = prefix .. ':dead:' .. queue
local ids = redis.call('ZRANGE', dead, 0, limit - 1)
for _, id in ipairs(ids) do
  redis.call('ZREM', dead, id)
  redis.call('DEL', prefix .. ':job:' .. id)
end
return #ids
