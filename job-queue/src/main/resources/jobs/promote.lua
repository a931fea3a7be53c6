-- Moves delayed jobs (countdown/ETA and retry backoff) that are due onto their queue.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 limit. Returns {moved, next due ms or -1}.
--#include lib/ensure_group.lua
--#include lib/deliver.lua
local prefix, queue, now, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local delayed = prefix .. ':delayed:' .. queue
local stream = prefix .. ':q:' .. queue
local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit)
if #due > 0 then
  ensure_group(stream)
end
for _, id in ipairs(due) do
  redis.call('ZREM', delayed, id)
  local key = prefix .. ':job:' .. id
  local j = redis.call('HMGET', key, 'attempts', 'task', 'payload', 'max_retries', 'time_limit_ms', 'ready_at', 'trace')
  if j[1] then
    redis.call('HSET', key, 'state', 'queued')
    deliver(stream, key, id, tonumber(j[1]) + 1, j[2], j[3], j[4], j[5], j[6], j[7])
  end
end
local nxt = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
if #nxt == 0 then
  return {#due, -1}
end
return {#due, nxt[2]}
