-- wrk script for the soak: report.lua's counting and report, with each
-- thread rotating over the paths given after `--`.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local report_setup, report_init = setup, init
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  report_setup(thread)
end

function init(args)
  report_init(args)
  paths = args
  if #paths == 0 then
    paths = { "/healthz/" }
  end
  n = id or 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
