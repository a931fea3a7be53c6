-- Fragment: the job's run log, which the operators' job page shows as its timeline. Each time a
-- worker starts the job is run n (n counts every start, across dead-letter retries, which reset
-- the attempt count): field 'run:<n>' holds "<start_ms> <attempt> <worker>", and once the run
-- ends 'end:<n>' holds "<end_ms> <outcome> <error>" (outcome ok|retry|dead|requeue). A run
-- without an end was lost with its worker and taken over. Only the last KEEP_RUNS runs are kept.
local KEEP_RUNS = 20

-- The fields to add to the HSET that marks the job running, and drops the run that falls out.
local function run_started(key, runs, now, attempt, worker)
  local run = tonumber(runs or '0') + 1
  if run > KEEP_RUNS then
    redis.call('HDEL', key, 'run:' .. (run - KEEP_RUNS), 'end:' .. (run - KEEP_RUNS))
  end
  return run, 'run:' .. run, now .. ' ' .. attempt .. ' ' .. worker
end

local function run_ended(runs, now, outcome, err)
  return 'end:' .. (runs or '0'), now .. ' ' .. outcome .. ' ' .. string.sub(err or '', 1, 1000)
end
