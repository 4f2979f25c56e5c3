# shellcheck shell=bash
# deploy/soak's mixed-in work, run while wrk sends the authenticated requests: full sign-ins,
# sign-outs of extra sessions (each then refused), and reloads with a changed config. Sourced by
# deploy/soak; uses its variables ($base, $idp_base, $tmp, $gateway_pid, soak_config).

mix_sign_ins=0 mix_sign_outs=0 mix_reloads=0 mix_failures=0 mix_round=0

# mix_fail MESSAGE: counts and prints one failed mixed-in step.
mix_fail() {
    mix_failures=$((mix_failures + 1))
    echo "deploy/soak: $1" >&2
}

# mix_status COOKIE: the status of an API request with that session cookie.
mix_status() {
    curl -s -o /dev/null --max-time 10 -w '%{http_code}' -H "Cookie: __gateway=$1" -H 'Accept: application/json' \
        "$base/index.html"
}

# mix_sign_in NAME: a new session for a new user; sets mix_cookie once it opens the protected path.
mix_cookie=
mix_sign_in() {
    local jar=$tmp/mix-$1.jar status
    mix_cookie=$(oidc_sign_in "$base" idp "$idp_base" "soak-$1@example.com" "$jar")
    rm -f "$jar"
    [[ -n $mix_cookie ]] || { mix_fail "sign-in $1: no session cookie"; return 1; }
    status=$(mix_status "$mix_cookie")
    [[ $status == 200 ]] || { mix_fail "sign-in $1: the new session got $status"; return 1; }
    mix_sign_ins=$((mix_sign_ins + 1))
}

# mix_sign_out: signs an extra session in and out; the old cookie must then get 401.
mix_sign_out() {
    local cookie status
    mix_sign_in "$mix_round-out" || return 0
    cookie=$mix_cookie
    status=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X POST -H "Origin: $base" \
        -H "Cookie: __gateway=$cookie" "$base/auth/sign_out?next=/")
    [[ $status == 302 ]] || { mix_fail "sign-out $mix_round: answered $status"; return 0; }
    status=$(mix_status "$cookie")
    [[ $status == 401 ]] || { mix_fail "sign-out $mix_round: the ended session got $status"; return 0; }
    mix_sign_outs=$((mix_sign_outs + 1))
}

# mix_reload: a config with one more public location, SIGHUP, and that location answering.
mix_reload() {
    local generation=$((mix_reloads + 1)) deadline=$((SECONDS + 15)) status=
    mkdir -p "$tmp/www/generation-$generation"
    cp "$tmp/www/index.html" "$tmp/www/generation-$generation/"
    soak_config "$generation" >"$tmp/gateway.conf"
    kill -HUP "$gateway_pid"
    while ((SECONDS < deadline)); do
        status=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$base/generation-$generation/index.html")
        [[ $status == 200 ]] && break
        sleep 0.1
    done
    [[ $status == 200 ]] || { mix_fail "reload $generation: its new location answered $status"; return 0; }
    mix_reloads=$generation
}

# mix_while_running PID: mixed-in rounds until PID (wrk) exits: a sign-in and a sign-out each
# round, a reload every third round (the first one included), half a second apart.
mix_while_running() {
    while alive "$1"; do
        mix_round=$((mix_round + 1))
        mix_sign_in "$mix_round" || true
        mix_sign_out
        ((mix_round % 3 != 1)) || mix_reload
        sleep 0.5
    done
}
