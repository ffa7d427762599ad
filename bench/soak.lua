-- wrk script for bench/soak.py: each connection walks the pages in SOAK_PATHS (space-separated)
-- round-robin, from its own starting point, and the run ends with bench/report.lua's JSON line.
local paths = {}
for path in string.gmatch(os.getenv("SOAK_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter)
end

init = function(args)
  next_index = (offset or 0) % #paths
end

request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end

dofile(os.getenv("SOAK_REPORT_LUA"))
