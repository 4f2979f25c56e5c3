# shellcheck shell=bash
# deploy/bench's metrics row: the plain gateway again, with `metrics_listen` on and scraped once
# a second while wrk runs (Prometheus scrapes every 15 s or so; once a second is the harder case).
# Sourced by deploy/bench after its gateway row; uses its variables and bench_target.

metrics_row=
bench_metrics() {
    [[ -n $gateway_bin && ${SKIP_METRICS:-} != 1 ]] || return 0
    local port metrics_port
    read -r port metrics_port < <(free_ports 2)
    sed -e "s/^listen 127.0.0.1:$gateway_port;/listen 127.0.0.1:$port;\nmetrics_listen 127.0.0.1:$metrics_port;/" \
        -e "s|gateway-access.log|gateway-metrics-access.log|" "$tmp/gateway.conf" >"$tmp/gateway-metrics.conf"
    "$gateway_bin" -c "$tmp/gateway-metrics.conf" >"$tmp/gateway-metrics.log" 2>&1 &
    STARTED_PIDS+=($!)
    local pid=$!
    wait_for_url "http://127.0.0.1:$port/healthz" "$pid" 30 || { cat "$tmp/gateway-metrics.log" >&2; exit 1; }
    check_target "gateway (metrics on)" "http://127.0.0.1:$port/index.html" "$pid"
    # A bounded scraper: one GET /metrics a second for the warm-up and the measured run.
    (
        for _ in $(seq $((warmup + duration + 2))); do
            curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$metrics_port/metrics" || true
            sleep 1
        done
    ) &
    local scraper=$!
    STARTED_PIDS+=("$scraper")
    cpu_pids=("$pid")
    metrics_row=${#row_names[@]}
    bench_target "gateway (metrics on, scraped 1/s)" "http://127.0.0.1:$port/index.html"
    alive "$pid" || { echo "deploy/bench: the metrics gateway died during the run" >&2; exit 1; }
    kill "$scraper" 2>/dev/null || true
    # The scrape must count what wrk sent: every request of both runs, and the check's.
    curl -fsS --max-time 5 "http://127.0.0.1:$metrics_port/metrics" |
        awk '/^gateway_http_requests_total\{location="\/",method="GET",code="200"\}/ { print "deploy/bench: metrics gateway counted " $2 " requests" }' >&2
}

# Prints the metrics on/off comparison (rows: 2 is the gateway with metrics off).
print_metrics_ratio() {
    [[ -n $metrics_row ]] || return 0
    awk -v on="${row_rps[metrics_row]}" -v off="${row_rps[2]}" -v con="${row_cpu[metrics_row]}" -v coff="${row_cpu[2]}" 'BEGIN {
        printf "metrics on/off req/s: %.3f\n", on / off
        printf "metrics on/off CPU per request: %.3f (%.1f vs %.1f µs)\n", con / coff, con, coff }'
}
