-- Renews a worker's lease on the jobs it is running: resets the idle time of each stream entry
-- it still owns, so the reclaim of dead workers' jobs (XAUTOCLAIM, past the lease) leaves them
-- alone however long they run. An entry another worker has reclaimed (this one stopped renewing
-- for longer than the lease: paused, cut off) is not taken back.
-- KEYS: 1 stream. ARGV: 1 consumer (worker id), then stream entry ids.
-- Returns the entry ids this worker no longer owns.
--#include lib/owner.lua
local stream, consumer = KEYS[1], ARGV[1]
local owned, lost = {}, {}
for i = 2, #ARGV do
  if pending_for(stream, ARGV[i], consumer) then
    table.insert(owned, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
for i = 1, #owned, 1000 do
  -- Claiming its own entries with min-idle 0 resets their idle time; JUSTID leaves the delivery
  -- count alone (it counts deliveries, not renewals).
  local args = {'XCLAIM', stream, 'workers', consumer, 0}
  for j = i, math.min(#owned, i + 999) do
    table.insert(args, owned[j])
  end
  table.insert(args, 'JUSTID')
  redis.call(unpack(args))
end
return lost
