-- Fragment: true when stream entry sid is pending for consumer: that worker still holds it
-- (nobody reclaimed it after its lease lapsed).
local function pending_for(stream, sid, consumer)
  local p = redis.call('XPENDING', stream, 'workers', sid, sid, 1)
  return p[1] ~= nil and p[1][2] == consumer
end
