# shellcheck shell=bash
# deploy/bench's rows for the other access-log mode (--logs both, the default): the public path
# through nginx and the gateway again, on servers of their own started with access logs off, so
# the two log modes are compared on the same machine in the same run. Sourced by deploy/bench
# after its public rows; uses its variables, bench_target and compare.

bench_other_logs() {
    ((${#log_modes[@]} > 1)) || return 0
    local mode=${log_modes[1]} nport gport
    read -r nport gport < <(free_ports 2)
    start_nginx "proxy-logs-$mode" "$(nginx_proxy_server "$nport")" "$mode"
    local npid=${STARTED_PIDS[-1]}
    check_target "nginx proxy (logs $mode)" "http://127.0.0.1:$nport/index.html" "$npid"
    cpu_pids=("$npid")
    local nrow=${#row_names[@]}
    bench_target "nginx proxy (logs $mode)" "http://127.0.0.1:$nport/index.html"
    stop_pid "$npid"
    [[ -n $gateway_bin ]] || return 0
    gateway_config "$gport" "$mode" "$workers" "gateway-logs-$mode-access.log" >"$tmp/gateway-logs-$mode.conf"
    start_gateway "gateway-logs-$mode" "$tmp/gateway-logs-$mode.conf" "$gport"
    local gpid=$started_pid
    cpu_pids=("$gpid")
    compare "public, logs $mode" "${#row_names[@]}" "$nrow"
    bench_target "gateway (logs $mode)" "http://127.0.0.1:$gport/index.html"
    alive "$gpid" || { echo "deploy/bench: the gateway (logs $mode) died during the run" >&2; exit 1; }
    stop_pid "$gpid"
}
