-- How many participants each row of places has in one part.
-- KEYS: the part's participant role/designation sets, then the scope's set
-- (when ARGV[2] is 1), then the rows' sets; all in the part's hash slot.
-- ARGV: pairs, has scope, rows, then per row: how many candidate sets and
-- their KEYS indexes (0: the whole part), the first that exists being the
-- place's; how many sets the people must be in too and their indexes.
-- Returns a count a row.
local np, hasScope, nrows = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local scope = nil
if hasScope == 1 then scope = KEYS[np + 1] end
local a = 4
local out = {}
for r = 1, nrows do
  local nc = tonumber(ARGV[a]); a = a + 1
  local set, found = nil, false
  for j = 0, nc - 1 do
    local k = tonumber(ARGV[a + j])
    if not found then
      if k == 0 then
        found = true
      elseif redis.call('EXISTS', KEYS[k]) == 1 then
        set, found = KEYS[k], true
      end
    end
  end
  a = a + nc
  local na = tonumber(ARGV[a]); a = a + 1
  local also = {}
  for j = 0, na - 1 do also[#also + 1] = KEYS[tonumber(ARGV[a + j])] end
  a = a + na
  local n = 0
  if found then
    for p = 1, np do
      local ks = {KEYS[p]}
      if set then ks[#ks + 1] = set end
      for _, k in ipairs(also) do ks[#ks + 1] = k end
      if scope then ks[#ks + 1] = scope end
      if #ks == 1 then
        n = n + redis.call('SCARD', KEYS[p])
      else
        n = n + redis.call('SINTERCARD', #ks, unpack(ks))
      end
    end
  end
  out[r] = n
end
return out
