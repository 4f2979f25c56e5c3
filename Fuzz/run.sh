#!/bin/sh
# Builds the libFuzzer target over GatewayHTTP's sources and runs it: Fuzz/run.sh [seconds, default 30].
# FUZZ_OUT sets where the binary, corpus and crash files go (default: $TMPDIR/gateway-http-fuzz).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
out="${FUZZ_OUT:-${TMPDIR:-/tmp}/gateway-http-fuzz}"
mkdir -p "$out/corpus"
# -Onone keeps the standard library's bounds checks on unsafe buffers; ASan covers the rest.
swiftc -sanitize=fuzzer,address -parse-as-library -Onone -g -module-name GatewayHTTPFuzz \
    "$root/Fuzz/HTTPParserFuzz.swift" "$root"/Sources/GatewayHTTP/*.swift -o "$out/http-parser-fuzz"
cd "$out"
exec ./http-parser-fuzz -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$out/" "$out/corpus" "$root/Fuzz/seeds"
