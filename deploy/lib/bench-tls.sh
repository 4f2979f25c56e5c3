# shellcheck shell=bash
# deploy/bench's TLS rows: nginx and the gateway both terminating TLS 1.3 (one self-signed
# certificate, made here with openssl) in front of the same static upstream, measured with wrk's
# keep-alive connections, so the rows compare encryption and proxying, not handshakes.
# Sourced by deploy/bench after its plain rows; uses its variables and bench_target.
# SKIP_TLS=1 skips them.

tls_rows=() # "nginx_row gateway_row"
bench_tls() {
    [[ ${SKIP_TLS:-} != 1 ]] || return 0
    local nginx_tls_port gateway_tls_port
    read -r nginx_tls_port gateway_tls_port < <(free_ports 2)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$tmp/tls.key" -out "$tmp/tls.pem" 2>/dev/null
    # curl (the targets' checks) trusts the self-signed certificate; wrk does not verify.
    export CURL_CA_BUNDLE=$tmp/tls.pem
    start_nginx proxy-tls "    upstream static {
        server 127.0.0.1:$static_port;
        keepalive $connections;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$nginx_tls_port ssl;
        ssl_certificate $tmp/tls.pem;
        ssl_certificate_key $tmp/tls.key;
        ssl_protocols TLSv1.3;
        location / {
            proxy_pass http://static;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
        }
    }" "$main_logs"
    local nginx_tls_pid=${STARTED_PIDS[-1]}
    check_target "nginx proxy (TLS 1.3)" "https://127.0.0.1:$nginx_tls_port/index.html" "$nginx_tls_pid"
    cpu_pids=("$nginx_tls_pid")
    local nginx_row=${#row_names[@]}
    bench_target "nginx proxy (TLS 1.3)" "https://127.0.0.1:$nginx_tls_port/index.html"
    [[ -n $gateway_bin ]] || return 0
    sed -e "s|^listen 127.0.0.1:$gateway_port;|listen 127.0.0.1:$gateway_tls_port tls cert=$tmp/tls.pem key=$tmp/tls.key;\nssl_protocols TLSv1.3;|" \
        -e "s|gateway-access.log|gateway-tls-access.log|" "$tmp/gateway.conf" >"$tmp/gateway-tls.conf"
    "$gateway_bin" -c "$tmp/gateway-tls.conf" >"$tmp/gateway-tls.log" 2>&1 &
    STARTED_PIDS+=($!)
    local pid=$!
    check_target "gateway (TLS 1.3)" "https://127.0.0.1:$gateway_tls_port/index.html" "$pid"
    cpu_pids=("$pid")
    tls_rows+=("$nginx_row ${#row_names[@]}")
    compare "TLS 1.3" "${#row_names[@]}" "$nginx_row"
    bench_target "gateway (TLS 1.3)" "https://127.0.0.1:$gateway_tls_port/index.html"
    alive "$pid" || { echo "deploy/bench: the TLS gateway died during the run" >&2; cat "$tmp/gateway-tls.log" >&2; exit 1; }
}

print_tls_ratio() {
    ((${#tls_rows[@]})) || return 0
    local nginx_row gateway_row
    read -r nginx_row gateway_row <<<"${tls_rows[0]}"
    awk -v gr="${row_rps[gateway_row]}" -v nr="${row_rps[nginx_row]}" -v gc="${row_cpu[gateway_row]}" -v nc="${row_cpu[nginx_row]}" 'BEGIN {
        printf "TLS 1.3 gateway/nginx req/s: %.2f\n", gr / nr
        printf "TLS 1.3 gateway/nginx CPU per request: %.2f\n", gc / nc }'
}
