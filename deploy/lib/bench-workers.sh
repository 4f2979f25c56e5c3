# shellcheck shell=bash
# deploy/bench's worker-count rows: the public path through nginx and the gateway with 1 worker
# and with 2 workers each (whatever --workers says for the main rows), access logs as in the
# main rows, on servers of their own that stop after their rows. Sourced by deploy/bench; uses
# its variables, bench_target and compare. SKIP_WORKERS=1 skips them.

bench_workers() {
    [[ ${SKIP_WORKERS:-} != 1 ]] || return 0
    local n label nport gport npid gpid nrow
    for n in 1 2; do
        label="$n worker$( ((n == 1)) || echo s)"
        read -r nport gport < <(free_ports 2)
        start_nginx "proxy-$n-workers" "$(nginx_proxy_server "$nport")" "$main_logs" "$n"
        npid=${STARTED_PIDS[-1]}
        check_target "nginx proxy ($n workers)" "http://127.0.0.1:$nport/index.html" "$npid"
        cpu_pids=("$npid")
        nrow=${#row_names[@]}
        bench_target "nginx proxy ($label, logs $main_logs)" "http://127.0.0.1:$nport/index.html"
        stop_pid "$npid"
        [[ -n $gateway_bin ]] || continue
        gateway_config "$gport" "$main_logs" "$n" "gateway-$n-workers-access.log" >"$tmp/gateway-$n-workers.conf"
        start_gateway "gateway-$n-workers" "$tmp/gateway-$n-workers.conf" "$gport"
        gpid=$started_pid
        cpu_pids=("$gpid")
        compare "public, $label" "${#row_names[@]}" "$nrow"
        bench_target "gateway ($label, logs $main_logs)" "http://127.0.0.1:$gport/index.html"
        alive "$gpid" || { echo "deploy/bench: the gateway ($n workers) died during the run" >&2; exit 1; }
        stop_pid "$gpid"
    done
}
