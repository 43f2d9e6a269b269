-- wrk script: signed-in Telegram updates, each with a new update_id (so each is processed: message
-- stored, engine turn, reply queued in the outbox, all committed before the 200).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "bench-secret"
local n = 0
local texts = { "gdzie dostanę numer BSN", "salariu minim", "huisarts zoeken", "menu" }
request = function()
  n = n + 1
  local id = math.random(1, 2000000000)
  local body = string.format('{"update_id":%d,"message":{"message_id":1,"date":1,"text":"%s","from":{"id":%d},"chat":{"id":%d,"type":"private"}}}',
    id, texts[(n % #texts) + 1], id % 5000, id % 5000)
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format("RESULT committed=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    ok, summary.requests - ok, ok / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
