-- wrk script: POST /api/posts/ as the bench user (token in the BENCH_TOKEN environment variable).
wrk.method = "POST"
wrk.body = '{"body":"benchmark post"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
