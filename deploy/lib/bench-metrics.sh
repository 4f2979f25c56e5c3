# shellcheck shell=bash
# deploy/bench's metrics rows: the plain gateway again, with `metrics_listen` on and scraped once
# a second while wrk runs (Prometheus scrapes every 15 s or so; once a second is the harder case).
# On a shared machine one pair of runs says little, so METRICS_ROUNDS (default 3) alternates
# off and on runs (the first off run is the gateway row with the first log mode) and the summary takes the medians.
# Sourced by deploy/bench after its gateway row; uses its variables and bench_target.

metrics_pairs=() # "off_row on_row" per round
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
        for _ in $(seq $(((warmup + duration) * 2 * ${METRICS_ROUNDS:-3} + 2))); do
            curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$metrics_port/metrics" || true
            sleep 1
        done
    ) &
    local scraper=$!
    STARTED_PIDS+=("$scraper")
    local rounds=${METRICS_ROUNDS:-3} round off_row
    for ((round = 1; round <= rounds; round++)); do
        off_row=$gateway_row
        if ((round > 1)); then
            off_row=${#row_names[@]}
            cpu_pids=("$gateway_pid")
            bench_target "gateway (metrics off, round $round)" "http://127.0.0.1:$gateway_port/index.html"
        fi
        cpu_pids=("$pid")
        metrics_pairs+=("$off_row ${#row_names[@]}")
        bench_target "gateway (metrics on, scraped 1/s, round $round)" "http://127.0.0.1:$port/index.html"
    done
    alive "$pid" || { echo "deploy/bench: the metrics gateway died during the run" >&2; exit 1; }
    kill "$scraper" 2>/dev/null || true
    # The scrape must count what wrk sent: every request of both runs, and the check's.
    { curl -fsS --max-time 5 "http://127.0.0.1:$metrics_port/metrics" || true; } |
        awk '/^gateway_http_requests_total\{location="\/",method="GET",code="200"\}/ { print "deploy/bench: metrics gateway counted " $2 " requests" }' >&2
}

# Prints the metrics on/off comparison: each round's ratios, then their medians.
print_metrics_ratio() {
    ((${#metrics_pairs[@]})) || return 0
    local pair off on lines=()
    for pair in "${metrics_pairs[@]}"; do
        read -r off on <<<"$pair"
        lines+=("${row_rps[on]} ${row_rps[off]} ${row_cpu[on]} ${row_cpu[off]}")
    done
    printf '%s\n' "${lines[@]}" | awk "$awk_median"'
        { rps[NR] = $1 / $2; cpu[NR] = $3 / $4; con[NR] = $3; coff[NR] = $4
          printf "metrics on/off, round %d: req/s %.3f, CPU per request %.3f (%.1f vs %.1f µs)\n", NR, rps[NR], cpu[NR], $3, $4 }
        END { n = NR
              printf "metrics on/off, median of %d: req/s %.3f, CPU per request %.3f (%.1f vs %.1f µs)\n",
                  n, median(rps, n), median(cpu, n), median(con, n), median(coff, n) }'
}
