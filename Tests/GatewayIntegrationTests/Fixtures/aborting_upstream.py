"""An upstream that breaks off its answers, for the fault tests.

GET /partial?length=N&send=M&chunked=0|1&end=close|hang
    a 200 declaring N bytes (Content-Length) or chunked, then M bytes of body (in chunks of
    at most 1,000 when chunked, never the last chunk), then "PARTIAL <path>" on stdout, then
    `close` closes the connection, `hang` holds it open (for the test to SIGKILL the process).
Anything else: 200 "ok" with Content-Length, keep-alive.

Prints "PORT n" once it listens (--port 0 picks a free one).
"""

import argparse
import socket
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    line = data.split(b"\r\n", 1)[0].decode("latin-1")
    return line.split(" ")[1] if line.count(" ") >= 2 else "/"


def partial(conn, target):
    query = parse_qs(urlsplit(target).query)
    length = int(query.get("length", ["100000"])[0])
    send = int(query.get("send", ["1000"])[0])
    chunked = query.get("chunked", ["0"])[0] == "1"
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n{framing}\r\n\r\n".encode())
    sent = 0
    while sent < send:
        n = min(1000, send - sent)
        piece = b"x" * n
        conn.sendall(b"%x\r\n" % n + piece + b"\r\n" if chunked else piece)
        sent += n
    print(f"PARTIAL {urlsplit(target).path}", flush=True)
    if query.get("end", ["close"])[0] == "hang":
        time.sleep(3600)
    conn.close()


def serve(conn):
    try:
        while True:
            target = read_head(conn)
            if target is None:
                return
            if urlsplit(target).path == "/partial":
                return partial(conn, target)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(64)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
