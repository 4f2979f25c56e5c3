# shellcheck shell=bash
# deploy/bench's memory figures for the gateway and the nginx proxy of the public rows: RSS idle
# (read at start, before any load), after the load (after every row they served), with
# IDLE_CONNECTIONS (default 10,000) idle keep-alive connections (each has sent one request and
# read its answer; flood-clients.py holds them), and 5 s after those close.
# Sourced by deploy/bench after the rows; uses its variables. SKIP_MEMORY=1 skips the idle
# connections (idle and after-load RSS are still read).

memory_rows=() # "SERVER IDLE AFTER_LOAD CONNECTIONS WITH_CONNECTIONS AFTER_CLOSE"
nginx_rss='' gateway_rss=''

bench_memory() {
    nginx_rss=$(rss_tree_mib "$nginx_pid")
    [[ -z $gateway_pid ]] || gateway_rss=$(rss_mib "$gateway_pid")
    local idle=(- - -)
    [[ ${SKIP_MEMORY:-} == 1 ]] || idle_connections nginx "$nginx_port" "$nginx_pid"
    memory_rows+=("nginx-proxy $nginx_idle_rss $nginx_rss ${idle[*]}")
    [[ -n $gateway_pid ]] || return 0
    idle=(- - -)
    [[ ${SKIP_MEMORY:-} == 1 ]] || idle_connections gateway "$gateway_port" "$gateway_pid"
    memory_rows+=("gateway $gateway_idle_rss $gateway_rss ${idle[*]}")
}

# idle_connections NAME PORT PID: sets bench_memory's idle to (OPENED WITH_MIB AFTER_CLOSE_MIB).
idle_connections() {
    local name=$1 port=$2 pid=$3 out=$tmp/idle-$1.txt n=$idle_n
    echo "deploy/bench: $name: $n idle keep-alive connections" >&2
    "$PYTHON" deploy/lib/flood-clients.py --port "$port" --path /index.html --idle-done "$n" --hold 60 >"$out" 2>&1 &
    local client=$!
    STARTED_PIDS+=("$client")
    local deadline=$((SECONDS + 65))
    until grep -q '^ready ' "$out" || ((SECONDS >= deadline)) || ! alive "$client"; do sleep 0.2; done
    # "ready opened=O refused=R refused_max_ms=M failed=F": refused and failed both failed here.
    local ready opened refused failed
    read -r ready opened refused _ failed <"$out" || true
    opened=${opened#opened=} failed=$((${refused#refused=} + ${failed#failed=}))
    if [[ $ready != ready ]]; then
        echo "deploy/bench: the idle-connection client failed:" >&2
        cat "$out" >&2
        stop_pid "$client"
        return 0
    fi
    ((failed == 0)) || echo "deploy/bench: $name: $failed connections failed" >&2
    sleep 1
    local with
    if [[ $name == nginx ]]; then with=$(rss_tree_mib "$pid"); else with=$(rss_mib "$pid"); fi
    stop_pid "$client"
    sleep 5
    local after
    if [[ $name == nginx ]]; then after=$(rss_tree_mib "$pid"); else after=$(rss_mib "$pid"); fi
    idle=("$opened" "$with" "$after")
}

# Prints the memory table.
print_memory() {
    ((${#memory_rows[@]})) || return 0
    local entry server idle load n with after
    echo "| RSS (MiB) | idle | after the load | idle keep-alive connections | with them | 5 s after they close |"
    echo "|---|---:|---:|---:|---:|---:|"
    for entry in "${memory_rows[@]}"; do
        read -r server idle load n with after <<<"$entry"
        echo "| $server | $idle | $load | $n | $with | $after |"
    done
    echo
}
