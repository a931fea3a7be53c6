-- wrk script: POST /api/posts/ as multipart/form-data with a small PNG, as the seed's Quasar app
-- posts an image (token in BENCH_TOKEN; the body, made by bench/http/run, in BENCH_FORM; its
-- boundary in BENCH_BOUNDARY).
local f = assert(io.open(os.getenv("BENCH_FORM"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BENCH_BOUNDARY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
