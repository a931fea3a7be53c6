-- Cancels a job no worker has taken: queued (its stream entry not yet read by any worker) or
-- waiting in the delayed set (ETA, retry backoff). Its entry or delayed member goes, its hash
-- says cancelled (kept for the result TTL, like a finished job's), and no worker runs it. A job a
-- worker has read (pending, even if not yet marked running), or one already final, is left alone.
-- ARGV: 1 prefix, 2 job id, 3 now_ms, 4 result ttl s
-- Returns {outcome, state}: outcome 'cancelled', 'not_found' or 'too_late' (state: the job's).
local prefix, id, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local key = prefix .. ':job:' .. id
local f = redis.call('HMGET', key, 'state', 'queue', 'stream_id')
local state, queue, sid = f[1], f[2], f[3]
if not state then
  return {'not_found', ''}
end
if state ~= 'queued' and state ~= 'retrying' then
  return {'too_late', state}
end
if redis.call('ZREM', prefix .. ':delayed:' .. queue, id) == 0 then
  -- Not delayed: its entry is in the stream. Read by a worker already when it is pending.
  local stream = prefix .. ':q:' .. queue
  if not sid then
    return {'too_late', 'running'} -- an entry without its id recorded: cannot tell, so do not claim it
  end
  if #redis.call('XPENDING', stream, 'workers', sid, sid, 1) > 0 then
    return {'too_late', 'running'}
  end
  redis.call('XDEL', stream, sid)
end
redis.call('HSET', key, 'state', 'cancelled', 'finished_at', now)
redis.call('EXPIRE', key, ttl)
return {'cancelled', 'cancelled'}
