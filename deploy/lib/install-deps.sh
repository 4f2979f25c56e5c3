# shellcheck shell=bash
# Installs the Debian packages that building, testing, the demo and the benchmark need
# (systemd for `systemd-analyze verify`, binutils for `readelf`: DeployFilesTests; redis-sentinel
# for SentinelFailoverTests).
# Sourced by deploy/test, deploy/demo, deploy/bench, deploy/soak and deploy/fuzz; call `install_deps`.

GATEWAY_APT_PACKAGES=(
    libssl-dev libcurl4-openssl-dev libhiredis-dev pkg-config
    nginx-light caddy wrk redis-server redis-sentinel python3 python3-venv curl openssl
    chromium chromium-driver ca-certificates
    systemd binutils
    prometheus  # promtool, which checks the /metrics exposition in the tests
    logrotate  # runs deploy/logrotate/gateway in the tests
    python3-dev gcc  # build the llhttp wheel (HTTPDifferentialTests)
)

# Installs whatever of GATEWAY_APT_PACKAGES is missing; runs `apt-get update` only if needed.
install_deps() {
    local missing=() pkg
    for pkg in "${GATEWAY_APT_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]})); then
        local sudo=()
        [[ $(id -u) -eq 0 ]] || sudo=(sudo)
        echo "install-deps: installing ${missing[*]}" >&2
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    # The Swift toolchain ships in /opt/swift on this project's machines.
    if ! command -v swift >/dev/null && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="$PATH:/opt/swift/usr/bin"
    fi
    command -v swift >/dev/null || { echo "install-deps: no swift toolchain on PATH" >&2; return 1; }
}
