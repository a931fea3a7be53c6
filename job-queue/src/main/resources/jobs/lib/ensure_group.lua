-- Fragment: creates a queue's stream and its consumer group ("workers") when missing.
local function ensure_group(stream)
  if redis.call('EXISTS', stream) == 0 then
    redis.pcall('XGROUP', 'CREATE', stream, 'workers', '0', 'MKSTREAM')
  end
end
