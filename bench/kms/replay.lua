-- Replays one pre-signed HTTP request, byte for byte, on every connection (wrk never calls into Lua on the
-- hot path). The request file (BENCH_REQUEST) is written by bench.py:
--   line 1        METHOD PATH
--   then          Name: value     (one header a line; Host and the SigV4 headers are among them)
--   blank line,   then the body (the rest of the file, as is)
-- The result line (case label rps p50_ms p99_ms mean_ms requests non2xx sock_errors) is appended to
-- BENCH_RESULT_FILE.

local f = assert(io.open(os.getenv("BENCH_REQUEST"), "rb"))
local raw = f:read("*a")
f:close()

local head, body = raw:match("^(.-)\n\n(.*)$")
local first = true
for line in head:gmatch("[^\n]+") do
  if first then
    local method, path = line:match("^(%S+) (%S+)$")
    wrk.method = method
    wrk.path = path
    first = false
  else
    local name, value = line:match("^([^:]+): (.*)$")
    wrk.headers[name] = value
  end
end
wrk.body = body

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local line = string.format("%s %s %.1f %.3f %.3f %.3f %d %d %d",
    os.getenv("BENCH_CASE") or "case", os.getenv("BENCH_LABEL") or "server",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout)
  io.write("RESULT " .. line .. "\n")
  local out = os.getenv("BENCH_RESULT_FILE") or ""
  if out ~= "" then
    local g = assert(io.open(out, "a"))
    g:write(line .. "\n")
    g:close()
  end
end
