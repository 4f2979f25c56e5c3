# shellcheck shell=bash
# deploy/bench's servers: nginx (static upstream or plain reverse proxy) and the gateway, each
# started with its own config in $tmp, checked before it is measured, and their memory.
# Sourced by deploy/bench; uses its variables ($tmp, $workers, $connections, $expected_body...).

# start_nginx NAME SERVER_CONFIG [LOGS on|off [WORKERS]]: runs an nginx (master + workers) with
# its own prefix in $tmp. worker_connections and the descriptor limit leave room for the
# 10,000 idle connections of the memory figures.
start_nginx() {
    local dir=$tmp/$1 logs=${3:-off} n=${4:-$workers}
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes $n;
worker_rlimit_nofile 20000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 10240; }
http {
    access_log $([[ $logs == on ]] && echo "$dir/access.log" || echo off);
    default_type text/html;
    keepalive_requests 1000000;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
$2
}
CONF
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
    STARTED_PIDS+=($!)
}

# nginx_proxy_server PORT: the reference's server block, a plain reverse proxy with a keep-alive
# upstream pool. It sets the X-Forwarded-* fields because the gateway adds them too: both do the
# same work.
nginx_proxy_server() {
    cat <<CONF
    upstream static {
        server 127.0.0.1:$static_port;
        keepalive $connections;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$1;
        location / {
            proxy_pass http://static;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
        }
    }
CONF
}

# gateway_config PORT LOGS WORKERS ACCESS_LOG_NAME: the public gateway's config. max_connections
# is above the 10,000 idle connections of the memory figures.
gateway_config() {
    cat <<CONF
listen 127.0.0.1:$1;
workers $3;
max_connections 10100;
access_log $([[ $2 == on ]] && echo "$tmp/$4" || echo off);
upstream static {
    server 127.0.0.1:$static_port;
    keepalive $connections;
}
location / { auth off; proxy_pass static; }
CONF
}

# start_gateway NAME CONFIG PORT: runs the gateway (its log in $tmp/NAME.log), waits for
# /healthz and checks it serves the static file; sets started_pid.
started_pid=
start_gateway() {
    "$gateway_bin" -c "$2" >"$tmp/$1.log" 2>&1 &
    STARTED_PIDS+=($!)
    started_pid=$!
    wait_for_url "http://127.0.0.1:$3/healthz" "$started_pid" 30 || { cat "$tmp/$1.log" >&2; exit 1; }
    check_target "$1" "http://127.0.0.1:$3/index.html" "$started_pid"
}

# stop_pid PID: ends one server this script started (nginx's workers leave with their master),
# so rows that are done stop taking memory and wake-ups from the next ones.
stop_pid() {
    local deadline=$((SECONDS + 10)) i
    # Forgotten first, so the exit trap never signals a reused PID.
    for i in "${!STARTED_PIDS[@]}"; do [[ ${STARTED_PIDS[i]} != "$1" ]] || unset 'STARTED_PIDS[i]'; done
    STARTED_PIDS=("${STARTED_PIDS[@]}")
    kill -TERM "$1" 2>/dev/null || return 0
    while alive "$1" && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# check_target NAME URL PID: the target must serve exactly the static file before it is measured.
check_target() {
    wait_for_url "$2" "$3" 30 || { tail -n 20 "$tmp"/*/error.log "$tmp"/*.log 2>/dev/null >&2; exit 1; }
    local body
    body=$(curl -fsS --max-time 5 "$2")
    [[ $body == "$expected_body" ]] || { echo "deploy/bench: $1 served something else: $body" >&2; exit 1; }
}

# rss_mib PID...: resident memory of these processes together, in MiB.
rss_mib() {
    local files=() pid
    for pid; do files+=("/proc/$pid/status"); done
    awk '/^VmRSS:/ { kb += $2 } END { printf "%.1f", kb / 1024 }' "${files[@]}"
}

# rss_tree_mib PID: resident memory of PID and its children (nginx's master and workers).
rss_tree_mib() {
    local children
    mapfile -t children < <(ps -o pid= --ppid "$1" | tr -d ' ')
    rss_mib "$1" "${children[@]}"
}
