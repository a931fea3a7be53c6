-- Marks delivered jobs as running and returns what the worker needs to run them.
-- A delivery whose job is gone or already final is acknowledged and dropped here.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 worker, then pairs (job id, stream entry id)
local prefix, queue, now, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local stream = prefix .. ':q:' .. queue
local out = {}
for i = 5, #ARGV, 2 do
  local id, sid = ARGV[i], ARGV[i + 1]
  local key = prefix .. ':job:' .. id
  local state = redis.call('HGET', key, 'state')
  if (not state) or state == 'succeeded' or state == 'dead' then
    redis.call('XACK', stream, 'workers', sid)
    redis.call('XDEL', stream, sid)
    table.insert(out, {id, sid, 'skip'})
  else
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'state', 'running', 'started_at', now, 'worker', worker, 'stream_id', sid)
    local f = redis.call('HMGET', key, 'task', 'payload', 'max_retries', 'time_limit_ms', 'ready_at')
    table.insert(out, {id, sid, 'run', attempts, f[1], f[2], f[3], f[4], f[5]})
  end
end
return out
