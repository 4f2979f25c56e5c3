# shellcheck shell=bash
# deploy/bench's measurement: one row is a warm-up, then one wrk run with the server's CPU time
# (and, for the authenticated rows, Redis's command count) read before and after it; rows are
# compared in pairs (gateway against its nginx). Sourced by deploy/bench; uses its variables.

row_names=() row_rps=() row_p50=() row_p99=() row_errors=() row_cpu=() row_redis=() row_redis_calls=() row_requests=()

# to_ms VALUE: wrk's latency ("512.00us", "1.20ms", "1.01s", "1.00m") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) printf "%.3f", v / 1000
        else if (v ~ /ms$/) printf "%.3f", v + 0
        else if (v ~ /m$/) printf "%.3f", v * 60000
        else if (v ~ /s$/) printf "%.3f", v * 1000
        else print "nan" }'
}

# cpu_ticks PID...: user + system clock ticks of these processes and their children (nginx workers).
cpu_ticks() {
    local pids=() pid
    for pid; do pids+=("$pid"); mapfile -t -O "${#pids[@]}" pids < <(ps -o pid= --ppid "$pid" | tr -d ' '); done
    for pid in "${pids[@]}"; do cat "/proc/$pid/stat" 2>/dev/null; done |
        awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}
# Set before bench_target: the server processes whose CPU the row reports.
cpu_pids=()
# Set before bench_target to the port of the Redis the server uses: the row then reports the
# Redis commands per request (every cmdstat_*'s calls over the run, INFO's own left out).
redis_stats_port=

# redis_calls PORT: the calls of every command Redis has run, but INFO (these readings).
redis_calls() {
    redis-cli -p "$1" info commandstats |
        awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" { n += $3 } END { print n + 0 }'
}

# bench_target NAME URL [wrk arguments...]: a warm-up, then one measured wrk run; adds a row.
bench_target() {
    local name=$1 url=$2 out=$tmp/wrk-${#row_names[@]}.txt
    shift 2
    echo "deploy/bench: $name: warm-up ${warmup}s, then ${duration}s ($url)" >&2
    timeout $((warmup + 30)) wrk -t "$threads" -c "$connections" -d "${warmup}s" "$@" "$url" >/dev/null
    local before after calls_before=
    [[ -z $redis_stats_port ]] || calls_before=$(redis_calls "$redis_stats_port")
    before=$(cpu_ticks "${cpu_pids[@]}")
    timeout $((duration + 30)) wrk -t "$threads" -c "$connections" -d "${duration}s" --latency "$@" "$url" >"$out"
    after=$(cpu_ticks "${cpu_pids[@]}")
    local rps p50 p99 errors requests redis='' calls=''
    requests=$(awk '/requests in/ { print $1 }' "$out")
    if [[ -n $calls_before ]]; then
        calls=$(($(redis_calls "$redis_stats_port") - calls_before))
        redis=$(awk -v c="$calls" -v n="${requests:-0}" \
            'BEGIN { if (n > 0) printf "%.3f", c / n; else print "nan" }')
    fi
    row_cpu+=("$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
        'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "nan" }')")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '/^ +50% / { print $2 }' "$out")
    p99=$(awk '/^ +99% / { print $2 }' "$out")
    # Answers other than 2xx/3xx plus connect/read/write/timeout errors.
    errors=$(awk '/^ +Non-2xx or 3xx responses:/ { n += $NF }
        /^ +Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
        END { print n + 0 }' "$out")
    if [[ -z $rps || -z $p50 || -z $p99 ]]; then
        echo "deploy/bench: could not read wrk's output for $name:" >&2
        cat "$out" >&2
        exit 1
    fi
    row_names+=("$name")
    row_rps+=("$rps")
    row_p50+=("$(to_ms "$p50")")
    row_p99+=("$(to_ms "$p99")")
    row_errors+=("$errors")
    row_redis+=("$redis")
    row_redis_calls+=("$calls")
    row_requests+=("$requests")
}

# An awk function for the rows' summaries: median(A, N) of A[1..N], sorting A in place.
awk_median='
    function median(a, n,   i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'

# compare LABEL ROW REFERENCE_ROW: a gateway row against the nginx row doing the same work.
comparisons=() # "ROW REFERENCE_ROW LABEL"
compare() {
    comparisons+=("$2 $3 $1")
}

# Prints the comparisons: req/s, CPU per request and p99 of each gateway row over its nginx row.
print_comparisons() {
    ((${#comparisons[@]})) || return 0
    local entry row ref label
    echo "| gateway / nginx | req/s | CPU per request | p99 |"
    echo "|---|---:|---:|---:|"
    for entry in "${comparisons[@]}"; do
        read -r row ref label <<<"$entry"
        awk -v l="$label" -v gr="${row_rps[row]}" -v nr="${row_rps[ref]}" -v gc="${row_cpu[row]}" -v nc="${row_cpu[ref]}" \
            -v gp="${row_p99[row]}" -v np="${row_p99[ref]}" \
            'function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "nan" }
            BEGIN { printf "| %s | %s | %s | %s |\n", l, r(gr, nr), r(gc, nc), r(gp, np) }'
    done
    echo
}
