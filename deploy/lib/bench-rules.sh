# shellcheck shell=bash
# deploy/bench's rule-cost row: the authenticated gateway serves /rules/ under three rules
# (two deny, one allow, all of them evaluated for the bench user) beside / with none, with the
# same session, so the two rows differ only by the rules. Sourced by deploy/bench; uses its
# variables and bench_target. SKIP_RULES=1 leaves the location and the row out.

rules_row=
# The location block for the authenticated gateway's config (empty with SKIP_RULES=1).
rules_location() {
    [[ ${SKIP_RULES:-} != 1 ]] || return 0
    mkdir -p "$tmp/www/rules"
    cp "$tmp/www/index.html" "$tmp/www/rules/index.html"
    cat <<'CONF'
location /rules/ {
    deny email_domain blocked.example;
    deny group contractors;
    allow provider idp;
    proxy_pass static;
}
CONF
}

# bench_rules PORT PID COOKIE: the /rules/ row, right after the authenticated row.
bench_rules() {
    [[ ${SKIP_RULES:-} != 1 ]] || return 0
    local port=$1 pid=$2 cookie=$3 body
    body=$(curl -fsS --max-time 5 -H "Cookie: __gateway=$cookie" "http://127.0.0.1:$port/rules/index.html")
    [[ $body == "$expected_body" ]] || { echo "deploy/bench: the rules location refused the bench user" >&2; exit 1; }
    cpu_pids=("$pid")
    rules_row=${#row_names[@]}
    bench_target "gateway (authenticated, Redis, 3 rules)" "http://127.0.0.1:$port/rules/index.html" \
        -H "Cookie: __gateway=$cookie"
}

# Prints the three-rule row against the authenticated row without rules.
print_rules_ratio() {
    [[ -n $rules_row && -n $auth_row ]] || return 0
    awk -v rr="${row_rps[rules_row]}" -v ar="${row_rps[auth_row]}" -v rc="${row_cpu[rules_row]}" -v ac="${row_cpu[auth_row]}" 'BEGIN {
        printf "3 rules/no rules (authenticated): req/s %.3f, CPU per request %.3f (%.1f vs %.1f µs)\n", rr / ar, rc / ac, rc, ac }'
}
