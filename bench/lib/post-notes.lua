-- wrk script: POST /api/notes, each request with an Idempotency-Key of its own,
-- so that every request inserts (the backend's write path, not its replay path).
-- The first argument after `--` makes the keys unique across runs.
local run = "wrk"
local counter = 0

function init(args)
  run = args[1] or run
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. counter,
  }, '{"text":"bench note"}')
end
