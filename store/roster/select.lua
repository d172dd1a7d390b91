-- The members in every group of sets (in any set of each group).
-- KEYS: the sets, group after group, all in one hash slot.
-- ARGV: how many keys each group has.
local groups, at = {}, 1
for g = 1, #ARGV do
  local keys, size = {}, 0
  for j = 1, tonumber(ARGV[g]) do
    keys[j] = KEYS[at]
    at = at + 1
    size = size + redis.call('SCARD', keys[j])
  end
  groups[g] = {keys = keys, size = size}
end
if #groups == 0 then return {} end
table.sort(groups, function(a, b) return a.size < b.size end)
if groups[1].size == 0 then return {} end
local cand = redis.call('SUNION', unpack(groups[1].keys))
if #groups == 1 then return cand end
local out = {}
for _, m in ipairs(cand) do
  local all = true
  for g = 2, #groups do
    local hit = false
    for _, k in ipairs(groups[g].keys) do
      if redis.call('SISMEMBER', k, m) == 1 then
        hit = true
        break
      end
    end
    if not hit then
      all = false
      break
    end
  end
  if all then out[#out + 1] = m end
end
return out
