# shellcheck shell=bash
# Helpers shared by the deploy scripts: free ports, waiting for a URL, the release binary,
# and stopping exactly the processes a script started. Source it after `install_deps`.

# The real interpreter, not a version-manager shim that would fork and outlive `kill PID`.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

# free_ports N: prints N distinct TCP ports on 127.0.0.1 that are free right now, on one line.
free_ports() {
    "$PYTHON" -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "${1:-1}"
}

# alive PID: true while PID runs (a child that exited but is not reaped yet counts as gone).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# wait_for_url URL PID [SECONDS]: waits until URL answers 2xx, while PID stays alive.
wait_for_url() {
    local url=$1 pid=$2 deadline=$((SECONDS + ${3:-30}))
    while ((SECONDS < deadline)); do
        alive "$pid" || { echo "process $pid exited before $url answered" >&2; return 1; }
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "timed out waiting for $url" >&2
    return 1
}

# Builds the gateway in release mode and prints the binary's path. GATEWAY_BIN skips the build;
# SWIFT_SCRATCH_PATH builds in another folder (name it .build-NAME: it is git-ignored).
build_release() {
    if [[ -n ${GATEWAY_BIN:-} ]]; then
        echo "$GATEWAY_BIN"
        return
    fi
    local args=(-c release)
    [[ -z ${SWIFT_SCRATCH_PATH:-} ]] || args+=(--scratch-path "$SWIFT_SCRATCH_PATH")
    swift build "${args[@]}" >&2
    echo "$(swift build "${args[@]}" --show-bin-path)/gateway"
}

# PIDs that this script started; stop_started ends them, newest first, and only them.
STARTED_PIDS=()

stop_started() {
    local i pid deadline
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${STARTED_PIDS[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        deadline=$((SECONDS + 10))
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
}

# start_redis PORT DIR: a throwaway Redis on 127.0.0.1:PORT (no persistence, its log in DIR),
# added to STARTED_PIDS; waits until it answers PING.
start_redis() {
    redis-server --bind 127.0.0.1 --port "$1" --save "" --appendonly no --dir "$2" \
        --logfile "$2/redis-$1.log" &
    STARTED_PIDS+=($!)
    local pid=$! deadline=$((SECONDS + 30))
    until [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]; do
        if ! alive "$pid" || ((SECONDS >= deadline)); then
            echo "redis-server did not start on 127.0.0.1:$1" >&2
            cat "$2/redis-$1.log" >&2 || true
            return 1
        fi
        sleep 0.1
    done
}
