-- Puts dead jobs back on their queue with a fresh attempt budget.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 job id or "*" for the oldest ARGV[5] of them, 5 limit
-- Returns how many jobs were put back.
--#include lib/ensure_group.lua
--#include lib/deliver.lua
local prefix, queue, now, which, limit = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local dead = prefix .. ':dead:' .. queue
local stream = prefix .. ':q:' .. queue
local ids
if which == '*' then
  ids = redis.call('ZRANGE', dead, 0, limit - 1)
else
  ids = {which}
end
ensure_group(stream)
local moved = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', dead, id) == 1 then
    local key = prefix .. ':job:' .. id
    if redis.call('EXISTS', key) == 1 then
      local err = redis.call('HGET', key, 'error')
      redis.call('HSET', key, 'state', 'queued', 'attempts', 0, 'ready_at', now, 'last_error', err or '',
        'revived_at', now)
      redis.call('HDEL', key, 'error', 'finished_at')
      local j = redis.call('HMGET', key, 'task', 'payload', 'max_retries', 'time_limit_ms', 'trace')
      deliver(stream, key, id, 1, j[1], j[2], j[3], j[4], now, j[5])
      moved = moved + 1
    end
  end
end
return moved
