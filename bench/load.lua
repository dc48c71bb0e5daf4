-- wrk script: replays a plan of requests and checks every response is the one the plan expects.
-- args: plan file (method TAB path TAB cookie TAB body per line), start offset, allowed statuses (e.g. "200,303").
-- A redirect to the sign-in page, or any other status, counts as bad.
local plan, size, threads = {}, 0, {}
next_index, bad, sign_in = 0, 0, 0
local allowed = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { Cookie = cookie }
    if body ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" else body = nil end
    size = size + 1
    plan[size] = wrk.format(method, path, headers, body)
  end
  next_index = tonumber(args[2]) or 0
  for status in string.gmatch(args[3], "%d+") do allowed[tonumber(status)] = true end
end

function request()
  next_index = next_index + 1
  return plan[(next_index - 1) % size + 1]
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if location and location:find("sign%-in") then
    sign_in = sign_in + 1
  elseif not allowed[status] then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong, signed_out = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("bad")
    signed_out = signed_out + thread:get("sign_in")
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%.1f p95=%.1f wrong=%d signed_out=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    wrong, signed_out, e.connect + e.read + e.write + e.timeout))
end
