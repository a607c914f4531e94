-- wrk script: POST /v1/decisions/batch, XZ_BATCH subjects (default 10) with one check each.
-- Env: XZ_KEY (platform API key), XZ_SUBJECTS (rotation size, default 10000), XZ_BATCH.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XZ_KEY") or "")
local subjects = tonumber(os.getenv("XZ_SUBJECTS") or "10000")
local batch = tonumber(os.getenv("XZ_BATCH") or "10")
local n = 0
request = function()
  local items = {}
  for i = 1, batch do
    n = n + 1
    items[i] = '{"subject":"user-' .. (n % subjects) .. '","checks":[{"action":"personalize"}]}'
  end
  return wrk.format(nil, nil, nil, '{"requests":[' .. table.concat(items, ",") .. ']}')
end
