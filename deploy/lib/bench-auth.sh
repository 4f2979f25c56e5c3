# shellcheck shell=bash
# deploy/bench's authenticated rows: gateways with `auth required`, each with a session made by
# signing in at a local oidc-provider-mock, measured with wrk sending that cookie:
#   - sessions in Redis with the local session cache on (`cache 5s`, the default), and beside it
#     the three-rule row (bench-rules.sh);
#   - sessions in Redis with `cache off;` (a Redis round trip per request);
#   - sessions in the memory store.
# The Redis rows report Redis commands per request over their measured run; the two Redis
# gateways and their nginx reference are then measured again in rounds (bench-rounds.sh).
# Sourced by deploy/bench; uses its variables, bench_target and compare. SKIP_AUTH=1 skips them.

auth_cache_row='' auth_nocache_row='' auth_memory_row=''
# The nginx proxy measured again just before the authenticated rows, which are compared with it.
auth_reference_row=''
# Kept for deploy/bench's summary: the first authenticated row (bench-rules.sh compares to it).
auth_row=

bench_auth() {
    [[ -n $gateway_bin && ${SKIP_AUTH:-} != 1 ]] || return 0
    # shellcheck source=deploy/lib/python-env.sh
    source deploy/lib/python-env.sh
    python_env
    # shellcheck source=deploy/lib/sign-in.sh
    source deploy/lib/sign-in.sh
    local redis_port idp_port
    read -r redis_port idp_port < <(free_ports 2)
    start_redis "$redis_port" "$tmp" || exit 1
    "$VENV_PYTHON" -m oidc_provider_mock --port "$idp_port" >"$tmp/idp.log" 2>&1 &
    STARTED_PIDS+=($!)
    wait_for_url "http://127.0.0.1:$idp_port/.well-known/openid-configuration" "${STARTED_PIDS[-1]}" 30
    local redis="store redis://127.0.0.1:$redis_port/0;"

    # The reference for these rows: the same nginx proxy as the first rows, measured again here.
    # The first nginx row ran minutes earlier, and a shared machine drifts by more than the
    # margins in question over minutes; a reference beside the rows keeps that out of the ratios.
    cpu_pids=("$nginx_pid")
    auth_reference_row=${#row_names[@]}
    bench_target "nginx proxy (logs $main_logs, again before the authenticated rows)" \
        "http://127.0.0.1:$nginx_port/index.html"

    redis_stats_port=$redis_port
    auth_gateway_row auth-cache "$redis" "$(rules_location)" "Redis, cache 5s" "Redis, cache 5s: the default"
    auth_cache_row=$auth_last_row auth_row=$auth_last_row
    bench_rules "$auth_port" "$auth_pid" "$auth_cookie"
    # Left running for the target rounds (bench-rounds.sh), beside the uncached gateway.
    local cache_port=$auth_port cache_pid=$auth_pid cache_cookie=$auth_cookie
    auth_gateway_row auth-nocache "$redis cache off;" "" "Redis, cache off" "Redis, cache off"
    auth_nocache_row=$auth_last_row
    bench_auth_rounds "$cache_port" "$cache_pid" "$cache_cookie" "$auth_port" "$auth_pid" "$auth_cookie" "$redis_port"
    redis_stats_port=
    stop_pid "$cache_pid"
    stop_pid "$auth_pid"
    auth_gateway_row auth-memory "store memory;" "" "memory store" "memory store"
    auth_memory_row=$auth_last_row
    stop_pid "$auth_pid"
}

# auth_gateway_row NAME SESSION_DIRECTIVES EXTRA_CONFIG COMPARISON ROW: an authenticated gateway
# (left running for the caller to stop) and its row, compared to the nginx proxy's row measured
# just before the authenticated rows; sets auth_last_row.
auth_last_row=''
auth_gateway_row() {
    start_auth_gateway "$1" "$2" "$3"
    cpu_pids=("$auth_pid")
    auth_last_row=${#row_names[@]}
    compare "authenticated, $4" "$auth_last_row" "$auth_reference_row"
    bench_target "gateway (authenticated, $5)" "http://127.0.0.1:$auth_port/index.html" -H "Cookie: __gateway=$auth_cookie"
}

# start_auth_gateway NAME SESSION_DIRECTIVES EXTRA_CONFIG: an authenticated gateway signed in
# once as a browser would (start, the provider's form, the callback); sets auth_port, auth_pid
# and auth_cookie. Uses bench_auth's $idp_port.
auth_port='' auth_pid='' auth_cookie=''
start_auth_gateway() {
    local name=$1 jar=$tmp/$1-cookies.txt
    read -r auth_port < <(free_ports 1)
    cat >"$tmp/$name.conf" <<CONF
listen 127.0.0.1:$auth_port;
public_url http://127.0.0.1:$auth_port;
workers $workers;
max_connections 10100;
access_log $([[ $main_logs == on ]] && echo "$tmp/$name-access.log" || echo off);
upstream static {
    server 127.0.0.1:$static_port;
    keepalive $connections;
}
session {
    $2
    cookie_secret bench-cookie-secret-0123456789abcdef0123;
}
provider idp { type oidc; issuer http://127.0.0.1:$idp_port; client_id bench; client_secret bench; }
location / { auth required; proxy_pass static; }
$3
CONF
    "$gateway_bin" --check -c "$tmp/$name.conf" >&2
    "$gateway_bin" -c "$tmp/$name.conf" >"$tmp/$name.log" 2>&1 &
    STARTED_PIDS+=($!)
    auth_pid=$!
    wait_for_url "http://127.0.0.1:$auth_port/healthz" "$auth_pid" 30 || { cat "$tmp/$name.log" >&2; exit 1; }
    local body
    auth_cookie=$(oidc_sign_in "http://127.0.0.1:$auth_port" idp "http://127.0.0.1:$idp_port" bench@example.com "$jar")
    body=$(curl -fsS --max-time 5 -H "Cookie: __gateway=$auth_cookie" "http://127.0.0.1:$auth_port/index.html")
    [[ $body == "$expected_body" ]] || { echo "deploy/bench: signing in at $name failed" >&2; cat "$tmp/$name.log" >&2; exit 1; }
}

# redis_line ROW LABEL: "Redis commands per authenticated request[LABEL]: R (C commands / N requests)".
redis_line() {
    [[ -n $1 && -n ${row_redis_calls[$1]:-} ]] || return 0
    awk -v l="$2" -v c="${row_redis_calls[$1]}" -v n="${row_requests[$1]}" 'BEGIN {
        r = n > 0 ? c / n : 0
        printf "Redis commands per authenticated request%s: %.3f (%d commands / %d requests)\n", l, r, c, n }'
}

# Prints the authenticated row against the nginx proxy measured beside it, and Redis commands
# per request.
print_auth_ratio() {
    [[ -n $auth_row ]] || return 0
    awk -v ar="${row_rps[auth_row]}" -v nr="${row_rps[auth_reference_row]}" -v ap="${row_p99[auth_row]}" -v np="${row_p99[auth_reference_row]}" 'BEGIN {
        printf "authenticated/nginx req/s: %.2f\n", ar / nr
        printf "authenticated/nginx p99:   %.2f\n", ap / np }'
    redis_line "$auth_cache_row" ""
    redis_line "$auth_nocache_row" ", cache off"
}
