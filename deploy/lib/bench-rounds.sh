# shellcheck shell=bash
# deploy/bench's target rounds: the pairs that issue 11's targets compare (the public row with the
# first log mode; the authenticated rows with the cache on and off, against the nginx proxy
# measured beside them) measured TARGET_ROUNDS times (default 3) in alternating order, each
# round's gateway rows divided by that round's nginx row. Round 1 is the table's first rows.
# A shared machine drifts by a quarter over minutes, more than the targets' margins, so a
# single pair says little; the median of the rounds' ratios is what the targets are read from.
# Every round's rows stay in the table. Sourced by deploy/bench; uses its variables,
# bench_target and awk_median (bench-run.sh). TARGET_ROUNDS=1 measures each pair once.

target_rounds=${TARGET_ROUNDS:-3}
if ! [[ $target_rounds =~ ^[0-9]+$ ]] || ((target_rounds < 1 || target_rounds > 9)); then
    echo "deploy/bench: TARGET_ROUNDS takes a number from 1 to 9, got: $target_rounds" >&2
    exit 2
fi

round_pairs=() # "ROUND ROW REFERENCE_ROW LABEL"
round_add() {
    round_pairs+=("$1 $2 $3 $4")
}

# round_row PID NAME URL [wrk arguments...]: one more row of PID's server; sets round_last.
round_last=''
round_row() {
    cpu_pids=("$1")
    round_last=${#row_names[@]}
    bench_target "${@:2}"
}

# The public pair again, right after the first one: the gateway first in even rounds.
bench_public_rounds() {
    [[ -n $gateway_pid ]] || return 0
    local label="public, logs $main_logs" r g n
    local gateway_url="http://127.0.0.1:$gateway_port/index.html" nginx_url="http://127.0.0.1:$nginx_port/index.html"
    round_add 1 "$gateway_row" "$nginx_row" "$label"
    for ((r = 2; r <= target_rounds; r++)); do
        if ((r % 2 == 0)); then
            round_row "$gateway_pid" "gateway (logs $main_logs, round $r)" "$gateway_url"; g=$round_last
            round_row "$nginx_pid" "nginx proxy (logs $main_logs, round $r)" "$nginx_url"; n=$round_last
        else
            round_row "$nginx_pid" "nginx proxy (logs $main_logs, round $r)" "$nginx_url"; n=$round_last
            round_row "$gateway_pid" "gateway (logs $main_logs, round $r)" "$gateway_url"; g=$round_last
        fi
        round_add "$r" "$g" "$n" "$label"
    done
}

# bench_auth_rounds CACHE_PORT CACHE_PID CACHE_COOKIE NOCACHE_PORT NOCACHE_PID NOCACHE_COOKIE
# REDIS_PORT: the nginx reference and the two Redis gateways again, in reverse order in even
# rounds. Both gateways are running; the caller stops them.
bench_auth_rounds() {
    local cport=$1 cpid=$2 ccookie=$3 nport=$4 npid=$5 ncookie=$6 rport=$7 r step n c u
    round_add 1 "$auth_cache_row" "$auth_reference_row" "authenticated, Redis, cache 5s"
    round_add 1 "$auth_nocache_row" "$auth_reference_row" "authenticated, Redis, cache off"
    for ((r = 2; r <= target_rounds; r++)); do
        local steps=(nginx cache nocache)
        ((r % 2)) || steps=(nocache cache nginx)
        for step in "${steps[@]}"; do
            case $step in
            nginx)
                redis_stats_port=
                round_row "$nginx_pid" "nginx proxy (logs $main_logs, authenticated round $r)" \
                    "http://127.0.0.1:$nginx_port/index.html"
                n=$round_last ;;
            cache)
                redis_stats_port=$rport
                round_row "$cpid" "gateway (authenticated, Redis, cache 5s, round $r)" \
                    "http://127.0.0.1:$cport/index.html" -H "Cookie: __gateway=$ccookie"
                c=$round_last ;;
            nocache)
                redis_stats_port=$rport
                round_row "$npid" "gateway (authenticated, Redis, cache off, round $r)" \
                    "http://127.0.0.1:$nport/index.html" -H "Cookie: __gateway=$ncookie"
                u=$round_last ;;
            esac
        done
        redis_stats_port=
        round_add "$r" "$c" "$n" "authenticated, Redis, cache 5s"
        round_add "$r" "$u" "$n" "authenticated, Redis, cache off"
    done
}

# round_lines: "LABEL<TAB>ROUND<TAB>req/s ratio<TAB>CPU ratio<TAB>p99 ratio" per round pair.
round_lines() {
    local entry r row ref label
    for entry in "${round_pairs[@]}"; do
        read -r r row ref label <<<"$entry"
        awk -v l="$label" -v r="$r" -v gr="${row_rps[row]}" -v nr="${row_rps[ref]}" -v gc="${row_cpu[row]}" \
            -v nc="${row_cpu[ref]}" -v gp="${row_p99[row]}" -v np="${row_p99[ref]}" \
            'function q(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.3f", a / b) : "nan" }
            BEGIN { printf "%s\t%s\t%s\t%s\t%s\n", l, r, q(gr, nr), q(gc, nc), q(gp, np) }'
    done
}

# round_medians: "LABEL<TAB>ROUNDS<TAB>median req/s<TAB>median CPU<TAB>median p99" per pair,
# in the order the pairs were first measured.
round_medians() {
    round_lines | awk -F'\t' "$awk_median"'
        function list_median(list,   a) { return sprintf("%.3f", median(a, split(list, a, " "))) }
        !($1 in count) { order[++labels] = $1 }
        { count[$1]++; rps[$1] = rps[$1] " " $3; cpu[$1] = cpu[$1] " " $4; p99[$1] = p99[$1] " " $5 }
        END { for (i = 1; i <= labels; i++) { l = order[i]
            printf "%s\t%d\t%s\t%s\t%s\n", l, count[l], list_median(rps[l]), list_median(cpu[l]), list_median(p99[l]) } }'
}

# Prints every round's ratios and their medians.
print_rounds() {
    ((${#round_pairs[@]})) || return 0
    echo "| gateway / nginx, in rounds | req/s | CPU per request | p99 |"
    echo "|---|---:|---:|---:|"
    round_lines | awk -F'\t' '{ printf "| %s, round %s | %.2f | %.2f | %.2f |\n", $1, $2, $3, $4, $5 }'
    round_medians | awk -F'\t' '{ printf "| **%s, median of %d** | %.2f | %.2f | %.2f |\n", $1, $2, $3, $4, $5 }'
    echo
}
