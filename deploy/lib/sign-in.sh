# shellcheck shell=bash
# Signing in at a gateway as a browser would, with curl, against a local oidc-provider-mock
# (which takes any subject on its form). Used by deploy/bench's authenticated rows and deploy/soak.

# oidc_sign_in BASE PROVIDER IDP_BASE SUB JAR: starts at BASE/auth/PROVIDER, posts SUB on the
# provider's form, follows the callback with the cookie jar JAR, and prints the session cookie's
# value (nothing if a step failed). The start is retried for 5 s: a gateway that has just started
# may still be fetching the provider's discovery document.
oidc_sign_in() {
    local base=$1 provider=$2 idp=$3 sub=$4 jar=$5 authorize='' callback
    for _ in $(seq 50); do
        authorize=$(curl -s -o /dev/null --max-time 10 -w '%{redirect_url}' -c "$jar" "$base/auth/$provider?next=/index.html")
        [[ $authorize == "$idp"/* ]] && break
        sleep 0.1
    done
    [[ $authorize == "$idp"/* ]] || return 0
    callback=$(curl -s -o /dev/null --max-time 10 -w '%{redirect_url}' -X POST -d "sub=$sub" "$authorize")
    [[ $callback == "$base"/* ]] || return 0
    curl -s -o /dev/null --max-time 10 -b "$jar" -c "$jar" "$callback"
    awk '$6 == "__gateway" { print $7 }' "$jar"
}
