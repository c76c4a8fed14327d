"""The one Lua script: read a whole checkpoint tuple (record, channel blobs, writes) in one round trip.

Without it, reading the latest checkpoint takes three dependent round trips (find the newest id,
read its record, read the blobs it names) plus one per delta link. The script only reads, touches
only the five keys of one thread (all declared, all in one hash slot), and is bounded by the number
of channels and the delta depth, so it is safe on Redis Cluster and cannot block Redis for long.

KEYS: idx, cp, blob, wix, w (see ``checkpoint/base.py``). ARGV: namespace, checkpoint id or "".
Returns false, or {checkpoint id, record, {chain per channel, newest link first}, {write values}}.
"""

from __future__ import annotations

__all__ = ["GET_TUPLE_LUA"]

GET_TUPLE_LUA = r"""
local ns = ARGV[1]
local id = ARGV[2]
if id == '' then
  local newest = redis.call('ZREVRANGEBYLEX', KEYS[1], '(' .. ns .. '\1', '[' .. ns .. '\0', 'LIMIT', 0, 1)
  if #newest == 0 then return false end
  id = string.sub(newest[1], #ns + 2)
end
local rec = redis.call('HGET', KEYS[2], ns .. '\0' .. id)
if not rec then return false end
local fields = {}
local colon = string.find(rec, ':', 1, true)
local pos = colon + 1
for i = 1, tonumber(string.sub(rec, 1, colon - 1)) do
  colon = string.find(rec, ':', pos, true)
  local stop = colon + tonumber(string.sub(rec, pos, colon - 1))
  fields[i] = string.sub(rec, colon + 1, stop)
  pos = stop + 1
end
local chains = {}
for i, field in ipairs(fields) do
  local chain = {}
  local blob = redis.call('HGET', KEYS[3], field)
  local guard = 0
  while blob and guard < 100000 do
    chain[#chain + 1] = blob
    if string.byte(blob, 1) ~= 68 then break end -- 'D': a delta names its base field
    local colon = string.find(blob, ':', 2, true)
    local n = tonumber(string.sub(blob, 2, colon - 1))
    blob = redis.call('HGET', KEYS[3], string.sub(blob, colon + 1, colon + n))
    guard = guard + 1
  end
  chains[i] = chain
end
local wfields = redis.call('ZRANGEBYLEX', KEYS[4], '[' .. ns .. '\0' .. id .. '\0', '(' .. ns .. '\0' .. id .. '\1')
local wvalues = {}
if #wfields > 0 then wvalues = redis.call('HMGET', KEYS[5], unpack(wfields)) end
return {id, rec, chains, wvalues}
"""
