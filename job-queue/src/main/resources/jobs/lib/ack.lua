-- Fragment: acknowledges stream entries and deletes them, in chunks that keep each command's
-- argument count bounded.
local function ack_and_delete(stream, sids)
  for i = 1, #sids, 1000 do
    local chunk = {unpack(sids, i, math.min(#sids, i + 999))}
    redis.call('XACK', stream, 'workers', unpack(chunk))
    redis.call('XDEL', stream, unpack(chunk))
  end
end
