# shellcheck shell=bash
# deploy/bench's --json output: the settings, the machine, every row, the memory figures, the
# gateway/nginx comparisons and the target rounds with their medians, to the file --json names
# (or stdout with `--json` alone). Sourced by deploy/bench at the end; uses its variables.
# Numbers that could not be measured ("nan", "-") are null.

# json_str VALUE: a JSON string (the bench's names hold no control characters).
json_str() {
    local v=${1//\\/\\\\}
    printf '"%s"' "${v//\"/\\\"}"
}

# json_num VALUE: the number, or null.
json_num() {
    if [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"; else printf null; fi
}

# row_server NAME: which server a row measures, from its name.
row_server() {
    case $1 in
    nginx*) echo nginx-proxy ;;
    gateway*) echo gateway ;;
    *) echo static-nginx ;;
    esac
}

# ratio A B: A / B with two decimals, or null.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else printf "null" }'
}

# json_round_entries KEY: bench-rounds.sh's tab-separated lines (label, KEY's number, then the
# req/s, CPU and p99 ratios) from stdin as JSON objects, comma-separated.
json_round_entries() {
    local label n q_rps q_cpu q_p99 sep=
    while IFS=$'\t' read -r label n q_rps q_cpu q_p99; do
        printf '%s    {"name": %s, "%s": %s, "requests_per_s": %s, "cpu_per_request": %s, "p99": %s}' \
            "$sep" "$(json_str "$label")" "$1" "$n" "$(json_num "$q_rps")" "$(json_num "$q_cpu")" "$(json_num "$q_p99")"
        sep=$',\n'
    done
}

json_document() {
    local i sep entry row ref label server idle load n with after
    printf '{\n  "settings": {"threads": %s, "connections": %s, "duration_s": %s, "warmup_s": %s, "workers": %s, "logs": %s},\n' \
        "$threads" "$connections" "$duration" "$warmup" "$workers" "$(json_str "$logs")"
    printf '  "machine": {"cpu": %s, "cores": %s, "memory_mib": %s, "kernel": %s, "nginx": %s, "wrk": %s},\n' \
        "$(json_str "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)")" "$(nproc)" \
        "$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)" "$(json_str "$(uname -r)")" \
        "$(json_str "$(nginx -v 2>&1 | sed 's/^nginx version: //')")" "$(json_str "$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')")"
    printf '  "rows": [\n'
    sep=
    for i in "${!row_names[@]}"; do
        printf '%s    {"name": %s, "server": %s, "requests_per_s": %s, "p50_ms": %s, "p99_ms": %s, "errors": %s, "requests": %s, "cpu_us_per_request": %s' \
            "$sep" "$(json_str "${row_names[i]}")" "$(json_str "$(row_server "${row_names[i]}")")" "$(json_num "${row_rps[i]}")" \
            "$(json_num "${row_p50[i]}")" "$(json_num "${row_p99[i]}")" "$(json_num "${row_errors[i]}")" \
            "$(json_num "${row_requests[i]}")" "$(json_num "${row_cpu[i]}")"
        [[ -z ${row_redis[i]} ]] || printf ', "redis_commands_per_request": %s' "$(json_num "${row_redis[i]}")"
        printf '}'
        sep=$',\n'
    done
    printf '\n  ],\n  "memory_mib": [\n'
    sep=
    for entry in "${memory_rows[@]}"; do
        read -r server idle load n with after <<<"$entry"
        printf '%s    {"server": %s, "idle": %s, "after_load": %s, "idle_connections": %s, "with_idle_connections": %s, "after_close_5s": %s}' \
            "$sep" "$(json_str "$server")" "$(json_num "$idle")" "$(json_num "$load")" "$(json_num "$n")" \
            "$(json_num "$with")" "$(json_num "$after")"
        sep=$',\n'
    done
    printf '\n  ],\n  "ratios": [\n'
    sep=
    for entry in "${comparisons[@]}"; do
        read -r row ref label <<<"$entry"
        printf '%s    {"name": %s, "row": %s, "reference": %s, "requests_per_s": %s, "cpu_per_request": %s, "p99": %s}' \
            "$sep" "$(json_str "$label")" "$(json_str "${row_names[row]}")" "$(json_str "${row_names[ref]}")" \
            "$(ratio "${row_rps[row]}" "${row_rps[ref]}")" "$(ratio "${row_cpu[row]}" "${row_cpu[ref]}")" \
            "$(ratio "${row_p99[row]}" "${row_p99[ref]}")"
        sep=$',\n'
    done
    printf '\n  ],\n  "target_rounds": [\n'
    ((${#round_pairs[@]})) && round_lines | json_round_entries round
    printf '\n  ],\n  "target_medians": [\n'
    ((${#round_pairs[@]})) && round_medians | json_round_entries rounds
    printf '\n  ]\n}\n'
}

write_json() {
    [[ -n $json ]] || return 0
    if [[ $json == - ]]; then
        echo
        json_document
    else
        json_document >"$json"
        echo "deploy/bench: wrote $json" >&2
    fi
}
