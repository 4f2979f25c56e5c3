# shellcheck shell=bash
# deploy/bench's 1 MiB rows: a 1 MiB file from the static upstream through the nginx proxy and
# the gateway of the public rows (both with their default buffering), so the rows measure
# moving bodies rather than handling requests. Sourced by deploy/bench after the public rows;
# uses its variables, bench_target and compare. SKIP_LARGE=1 skips them.

bench_large() {
    [[ ${SKIP_LARGE:-} != 1 ]] || return 0
    head -c 1048576 /dev/urandom >"$tmp/www/large.bin"
    local want size url
    want=$(wc -c <"$tmp/www/large.bin")
    for url in "http://127.0.0.1:$nginx_port/large.bin" ${gateway_pid:+"http://127.0.0.1:$gateway_port/large.bin"}; do
        size=$(curl -fsS --max-time 10 -o /dev/null -w '%{size_download}' "$url")
        [[ $size == "$want" ]] || { echo "deploy/bench: $url served $size bytes, not $want" >&2; exit 1; }
    done
    cpu_pids=("$nginx_pid")
    local nrow=${#row_names[@]}
    bench_target "nginx proxy (1 MiB, logs $main_logs)" "http://127.0.0.1:$nginx_port/large.bin"
    [[ -n $gateway_pid ]] || return 0
    cpu_pids=("$gateway_pid")
    compare "1 MiB response" "${#row_names[@]}" "$nrow"
    bench_target "gateway (1 MiB, logs $main_logs)" "http://127.0.0.1:$gateway_port/large.bin"
    alive "$gateway_pid" || { echo "deploy/bench: the gateway died during the 1 MiB run" >&2; exit 1; }
}
