-- wrk script: POST one fixed single-place case to /v1/route (see docs/serve.md).
-- wrk itself reports socket errors and "Non-2xx or 3xx responses" when there are any.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","at":[121.12,31.15],"crs":"wgs84"}]}'
