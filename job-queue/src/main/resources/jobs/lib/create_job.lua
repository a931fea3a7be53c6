-- Fragment: creates one job and makes it deliverable (or delayed), for enqueue.lua and
-- enqueue_bulk.lua. Keys: job hash, stream, delayed zset, idempotency key ('' when none), outbox
-- marker ('' for a direct enqueue); trace is the enqueue's W3C traceparent ('' or nil when none).
-- Returns the job's id and 1 when created here, or the id of
-- the job that already exists and 0.
--#include lib/ensure_group.lua
--#include lib/deliver.lua
local function create_job(job_key, stream, delayed, idem_key, marker, id, task, queue, payload, max_retries,
                          time_limit_ms, now_ms, eta_ms, owner, ttl_s, idem, trace)
  if marker and marker ~= '' then
    -- An outbox row is pushed after its commit and may be pushed again by the relay. The marker
    -- lives for the idempotency TTL (a day), far longer than a row waits for the relay, so even a
    -- job that already ran and whose hash expired is not created again.
    if redis.call('EXISTS', job_key) == 1 or not redis.call('SET', marker, '1', 'NX', 'EX', ttl_s) then
      return id, 0
    end
  end
  if idem_key ~= '' then
    local existing = redis.call('GET', idem_key)
    if existing then
      return existing, 0
    end
    redis.call('SET', idem_key, id, 'EX', ttl_s)
  end
  ensure_group(stream)
  local now = tonumber(now_ms)
  local eta = tonumber(eta_ms)
  redis.call('HSET', job_key, 'id', id, 'task', task, 'queue', queue, 'payload', payload,
    'state', 'queued', 'attempts', 0, 'max_retries', max_retries, 'time_limit_ms', time_limit_ms,
    'enqueued_at', now, 'ready_at', math.max(now, eta), 'owner', owner, 'idempotency_key', idem)
  if trace and trace ~= '' then
    redis.call('HSET', job_key, 'trace', trace)
  end
  if eta > now then
    redis.call('ZADD', delayed, eta, id)
  else
    deliver(stream, job_key, id, 1, task, payload, max_retries, time_limit_ms, now, trace)
  end
  return id, 1
end
