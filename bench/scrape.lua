-- wrk script for bench/run.sh: scrape as Prometheus does (gzip asked for) and print the
-- latency percentiles as one JSON line.
wrk.method = "GET"
wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["Accept"] = "text/plain;version=0.0.4;q=0.9,*/*;q=0.1"

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests":%d,"errors":%d,"seconds":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
