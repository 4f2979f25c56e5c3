#!/usr/bin/env python3
"""Self-check of upstream.py: starts it on port 0 and exercises every endpoint directly.

Usage: check_upstream.py [--big-mib 64]
Uses raw sockets for framing details and curl for the large Content-Length and chunked uploads.
Ends with `N passed, N failed` and exits 1 if anything failed.
"""

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
UPSTREAM = os.path.join(HERE, "upstream.py")
TIMEOUT = 30


def pattern(n):
    return bytes(i % 251 for i in range(n))


class Upstream:
    """upstream.py as a child process, stopped by its own PID."""

    def __init__(self, *extra):
        self.proc = subprocess.Popen(
            [sys.executable, UPSTREAM, "--port", "0", *extra], stdout=subprocess.PIPE, text=True
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"upstream printed {line!r}")
        self.port = int(line.split()[1])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Client:
    """One keep-alive connection with a minimal response reader (no read-ahead across responses)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.file = self.sock.makefile("rb")

    def send(self, data):
        self.sock.sendall(data)

    def request(self, method, target, headers=(), body=b""):
        lines = [f"{method} {target} HTTP/1.1", "Host: upstream.test", *headers]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self.response(head_only=method == "HEAD")

    def response(self, head_only=False):
        status_line = self.file.readline()
        if not status_line:
            raise EOFError("connection closed before a response")
        code = int(status_line.split()[1])
        headers = []
        while True:
            line = self.file.readline().rstrip(b"\r\n")
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name, value.strip()))
        fields = {n.lower(): v for n, v in headers}
        if head_only or code in (204, 304) or 100 <= code < 200:
            body = b""
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.file.readline().split(b";")[0], 16)
                if size == 0:
                    while self.file.readline().rstrip(b"\r\n"):
                        pass
                    break
                body += self.file.read(size)
                assert self.file.read(2) == b"\r\n", "chunk not followed by CRLF"
            body = bytes(body)
        elif "content-length" in fields:
            body = self.file.read(int(fields["content-length"]))
        else:
            body = self.file.read()  # close-delimited
        return code, headers, fields, body

    def at_eof(self):
        return self.file.read(1) == b""

    def close(self):
        self.file.close()
        self.sock.close()


RESULTS = []


def check(name):
    def run(fn):
        try:
            fn()
            RESULTS.append((name, None))
            print(f"ok    {name}")
        except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
            RESULTS.append((name, e))
            print(f"FAIL  {name}: {type(e).__name__}: {e}")
        return fn

    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mib", type=int, default=64, help="size of the curl uploads")
    args = parser.parse_args()
    up = Upstream()
    idle = Upstream("--idle-close-ms", "200")
    port = up.port
    try:
        run_checks(port, idle.port, args.big_mib)
    finally:
        up.stop()
        idle.stop()
    failed = sum(1 for _, e in RESULTS if e)
    print(f"{len(RESULTS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run_checks(port, idle_port, big_mib):
    @check("echo keeps header order and names, counts requests per connection")
    def _():
        c = Client(port)
        code, _, fields, body = c.request("GET", "/a/b?x=1&y=%20", ["X-Zeta: 1", "x-alpha: two", "X-Zeta: 3"])
        echo = json.loads(body)
        assert code == 200
        assert echo["method"] == "GET" and echo["path"] == "/a/b?x=1&y=%20" and echo["version"] == "HTTP/1.1"
        assert echo["headers"] == [["Host", "upstream.test"], ["X-Zeta", "1"], ["x-alpha", "two"], ["X-Zeta", "3"]]
        assert echo["request_index"] == 1 and fields["x-upstream-request-index"] == "1"
        assert str(echo["connection_id"]) == fields["x-upstream-connection"]
        _, _, fields2, body2 = c.request("DELETE", "/other")
        assert json.loads(body2)["request_index"] == 2 and fields2["x-upstream-request-index"] == "2"
        assert fields2["x-upstream-connection"] == fields["x-upstream-connection"]
        c.close()

    @check("echo hashes a Content-Length body")
    def _():
        c = Client(port)
        data = b"hello world" * 1000
        _, _, _, body = c.request("POST", "/echo", body=data)
        echo = json.loads(body)
        assert echo["body_bytes"] == len(data) and echo["body_sha256"] == hashlib.sha256(data).hexdigest()
        c.close()

    @check("chunked request body with extensions and trailers, then keep-alive")
    def _():
        c = Client(port)
        c.send(
            b"POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        )
        _, _, _, body = c.response()
        res = json.loads(body)
        assert res == {"body_bytes": 15, "body_sha256": hashlib.sha256(b"hello0123456789").hexdigest()}, res
        code, _, fields, _ = c.request("GET", "/")
        assert code == 200 and fields["x-upstream-request-index"] == "2"
        c.close()

    @check("pipelined requests are answered in order")
    def _():
        c = Client(port)
        c.send(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        one = json.loads(c.response()[3])
        two = json.loads(c.response()[3])
        assert (one["path"], one["request_index"], two["path"], two["request_index"]) == ("/1", 1, "/2", 2)
        c.close()

    @check("Expect: 100-continue gets an interim 100")
    def _():
        c = Client(port)
        c.send(b"PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        code, _, _, _ = c.response()
        assert code == 100
        c.send(b"abc")
        _, _, _, body = c.response()
        assert json.loads(body)["body_bytes"] == 3
        c.close()

    for chunked in (False, True):
        @check(f"download with {'chunked' if chunked else 'Content-Length'} framing")
        def _():
            c = Client(port)
            size = 3 * 65536 + 1000
            code, _, fields, body = c.request("GET", f"/download?size={size}" + ("&chunked=1" if chunked else ""))
            assert code == 200 and len(body) == size and body == pattern(size)
            assert ("transfer-encoding" in fields) == chunked and ("content-length" in fields) != chunked
            assert c.request("GET", "/download?size=0")[3] == b""
            c.close()

    @check("HEAD answers the head only, on every path")
    def _():
        c = Client(port)
        for target in ("/", "/download?size=1000", "/download?size=1000&chunked=1", "/upload", "/stats", "/hop"):
            code, _, fields, body = c.request("HEAD", target)
            assert code == 200 and body == b"", target
        assert c.request("HEAD", "/download?size=1000")[2]["content-length"] == "1000"
        code, _, _, body = c.request("GET", "/")
        assert code == 200 and json.loads(body)["request_index"] == 8
        c.close()

    @check("slow waits")
    def _():
        c = Client(port)
        start = time.monotonic()
        code, _, _, _ = c.request("GET", "/slow?ms=300")
        assert code == 200 and time.monotonic() - start >= 0.3
        c.close()

    @check("status answers the code; 204 and 304 have no body")
    def _():
        c = Client(port)
        for code in (204, 304, 404, 503, 201):
            got, _, fields, body = c.request("GET", f"/status?code={code}")
            assert got == code
            if code in (204, 304):
                assert body == b"" and "content-length" not in fields and "transfer-encoding" not in fields
            else:
                assert json.loads(body) == {"status": code}
        c.close()

    @check("hop answers hop-by-hop fields and keeps the connection")
    def _():
        c = Client(port)
        _, _, fields, _ = c.request("GET", "/hop")
        expected = {
            "connection": "X-Custom-Hop", "x-custom-hop": "1", "keep-alive": "timeout=5",
            "proxy-connection": "keep-alive", "trailer": "X-T", "x-end-to-end": "yes",
        }
        assert all(fields.get(k) == v for k, v in expected.items()), fields
        assert c.request("GET", "/")[0] == 200
        c.close()

    @check("close says Connection: close and closes")
    def _():
        c = Client(port)
        code, _, fields, _ = c.request("GET", "/close")
        assert code == 200 and fields["connection"] == "close" and c.at_eof()
        c.close()

    @check("no-length ends its body with the close")
    def _():
        c = Client(port)
        code, _, fields, body = c.request("GET", "/no-length")
        assert code == 200 and "content-length" not in fields and "transfer-encoding" not in fields
        assert body.startswith(b"no length")
        c.close()

    @check("HTTP/1.0 without keep-alive is closed after the response")
    def _():
        c = Client(port)
        c.send(b"GET / HTTP/1.0\r\n\r\n")
        _, _, fields, body = c.response()
        assert json.loads(body)["version"] == "HTTP/1.0" and fields["connection"] == "close" and c.at_eof()
        c.close()

    @check("malformed chunk size gets 400 and a close")
    def _():
        c = Client(port)
        c.send(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        code, _, _, _ = c.response()
        assert code == 400 and c.at_eof()
        c.close()

    @check("idle-close-ms closes an idle keep-alive connection")
    def _():
        c = Client(idle_port)
        assert c.request("GET", "/")[0] == 200
        assert c.request("GET", "/")[0] == 200  # not idle yet
        time.sleep(0.5)
        assert c.at_eof()
        c.close()

    @check("stats counts connections and requests")
    def _():
        c = Client(port)
        stats = json.loads(c.request("GET", "/stats")[3])
        stats2 = json.loads(c.request("GET", "/stats")[3])
        assert stats2["requests"] == stats["requests"] + 1
        assert stats2["connections_accepted"] == stats["connections_accepted"] >= 10
        c.close()

    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.bin")
        digest = hashlib.sha256()
        with open(big, "wb") as f:
            block = os.urandom(1 << 20)
            for i in range(big_mib):
                chunk = block[i:] + block[:i]
                digest.update(chunk)
                f.write(chunk)
        for name, curl_args in (
            ("Content-Length", ["-T", big]),
            ("chunked", ["-T", "-", "-H", "Transfer-Encoding: chunked"]),
        ):
            @check(f"curl --http1.1 uploads {big_mib} MiB with {name}")
            def _():
                with open(big, "rb") as stdin:
                    out = subprocess.run(
                        ["curl", "-sS", "--fail", "--http1.1", "--max-time", "60", *curl_args,
                         f"http://127.0.0.1:{port}/upload"],
                        stdin=stdin, capture_output=True, check=True,
                    ).stdout
                res = json.loads(out)
                assert res == {"body_bytes": big_mib << 20, "body_sha256": digest.hexdigest()}, res

        @check(f"curl downloads {big_mib} MiB chunked with the pattern")
        def _():
            out = subprocess.run(
                ["curl", "-sS", "--fail", "--http1.1", "--max-time", "60", "-D", "-", "-o", os.path.join(tmp, "dl"),
                 f"http://127.0.0.1:{port}/download?size={big_mib << 20}&chunked=1"],
                capture_output=True, check=True, text=True,
            ).stdout
            assert "transfer-encoding: chunked" in out.lower()
            want = hashlib.sha256(pattern(251) * ((big_mib << 20) // 251) + pattern((big_mib << 20) % 251))
            with open(os.path.join(tmp, "dl"), "rb") as f:
                assert hashlib.sha256(f.read()).hexdigest() == want.hexdigest()


if __name__ == "__main__":
    main()
