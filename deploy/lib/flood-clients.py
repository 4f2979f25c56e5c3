"""Holds a flood of slow and idle connections open against 127.0.0.1:PORT: FloodTests' flood,
and deploy/bench's idle keep-alive connections for its memory figures (--idle-done N):

  --trickle N      connections that send a request head one byte at a time, every
                   --interval-ms, and never finish it (a slowloris client);
  --idle-done N    keep-alive connections that made one request, read its answer, then idle;
  --idle-silent N  connections that send nothing at all.

Connections are opened in that order (idle-done first, so with max_connections below the total
the refused ones are the later ones), one at a time. A connection the server closes within
--refused-window seconds of being opened counts as refused. Then it prints a line
  ready opened=O refused=R refused_max_ms=M failed=F
and, every second until --hold seconds pass or SIGTERM, a line
  status t=S trickle_open=A trickle_closed=B trickle_408=C trickle_min_age=D trickle_max_age=E
         idle_open=F idle_closed=G
(ages: seconds from a trickler's connect to the server closing it). At the end, with
--reuse, each idle-done connection still open sends a second request, and it prints
  reused ok=N failed=M
Usage: python3 flood-clients.py --port PORT [--path /index.html] [--trickle N] [--idle-done N]
  [--idle-silent N] [--interval-ms 300] [--hold SECONDS] [--reuse]
"""
import argparse
import resource
import selectors
import signal
import socket
import time

HEAD = b"GET /trickle HTTP/1.1\r\nHost: flood\r\nX-Trickle: " + b"a" * 100_000


def read_answer(sock):
    """Reads one answer with a Content-Length body; its status, or None if the socket closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return int(head.split(b" ")[1])


class Conn:
    def __init__(self, kind, sock, opened):
        self.kind = kind
        self.sock = sock
        self.opened = opened
        self.sent = 0
        self.closed_at = None
        self.got = b""


def server_closed(sock):
    """True if the peer closed (EOF or reset); data it sent first is drained."""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--trickle", type=int, default=0)
    parser.add_argument("--idle-done", type=int, default=0)
    parser.add_argument("--idle-silent", type=int, default=0)
    parser.add_argument("--interval-ms", type=int, default=300)
    parser.add_argument("--hold", type=float, default=60)
    parser.add_argument("--refused-window", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    address = ("127.0.0.1", args.port)
    request = f"GET {args.path} HTTP/1.1\r\nHost: flood\r\n\r\n".encode()

    conns, failed = [], 0
    refused, refused_max = 0, 0.0
    plan = ["idle"] * args.idle_done + ["silent"] * args.idle_silent + ["trickle"] * args.trickle
    for kind in plan:
        sock = socket.socket()
        sock.settimeout(5)
        opened = time.monotonic()
        try:
            sock.connect(address)
            if kind == "idle":
                status = read_answer_after(sock, request)
                if status is None:
                    refused += 1
                    refused_max = max(refused_max, time.monotonic() - opened)
                    sock.close()
                    continue
                if status != 200:
                    failed += 1
                    sock.close()
                    continue
        except (ConnectionResetError, BrokenPipeError):
            refused += 1
            refused_max = max(refused_max, time.monotonic() - opened)
            sock.close()
            continue
        except OSError:
            failed += 1
            sock.close()
            continue
        sock.setblocking(False)
        conns.append((Conn(kind, sock, opened), opened))
    # Connections closed by the server right after they were opened were refused at accept.
    time.sleep(args.refused_window)
    held = []
    for conn, opened in conns:
        if server_closed(conn.sock):
            refused += 1
            refused_max = max(refused_max, time.monotonic() - opened)
            conn.sock.close()
        else:
            held.append(conn)
    print(f"ready opened={len(held)} refused={refused} refused_max_ms={int(refused_max * 1000)} failed={failed}")
    run(held, args, stop, request)


def read_answer_after(sock, request):
    try:
        sock.sendall(request)
        return read_answer(sock)
    except socket.timeout:
        return None


def run(held, args, stop, request):
    selector = selectors.DefaultSelector()
    for conn in held:
        selector.register(conn.sock, selectors.EVENT_READ, conn)
    tricklers = [c for c in held if c.kind == "trickle"]
    started = time.monotonic()
    interval = args.interval_ms / 1000
    # Each 10 ms step sends a byte on a slice of the tricklers, so each gets one per interval.
    steps = max(1, int(interval / 0.01))
    step, next_status = 0, started + 1
    while not stop and time.monotonic() - started < args.hold:
        now = time.monotonic()
        for conn in tricklers[step % steps :: steps]:
            if conn.closed_at is None and conn.sent < len(HEAD):
                try:
                    conn.sock.send(HEAD[conn.sent : conn.sent + 1])
                    conn.sent += 1
                except BlockingIOError:
                    pass
                except OSError:
                    close(selector, conn, now)
        step += 1
        for key, _ in selector.select(timeout=0.01):
            conn = key.data
            try:
                chunk = conn.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if chunk:
                conn.got += chunk[: 64 - len(conn.got)]
            else:
                close(selector, conn, time.monotonic())
        if time.monotonic() >= next_status:
            next_status += 1
            print_status(held, time.monotonic() - started)
    print_status(held, time.monotonic() - started)
    if args.reuse:
        reuse(held, request)


def close(selector, conn, now):
    conn.closed_at = now
    selector.unregister(conn.sock)
    conn.sock.close()


def print_status(held, elapsed):
    trickle = [c for c in held if c.kind == "trickle"]
    idle = [c for c in held if c.kind != "trickle"]
    closed = [c for c in trickle if c.closed_at is not None]
    ages = [c.closed_at - c.opened for c in closed]
    print(
        f"status t={elapsed:.1f} trickle_open={len(trickle) - len(closed)} trickle_closed={len(closed)} "
        f"trickle_408={sum(1 for c in closed if c.got.startswith(b'HTTP/1.1 408'))} "
        f"trickle_min_age={min(ages, default=0):.1f} trickle_max_age={max(ages, default=0):.1f} "
        f"idle_open={sum(1 for c in idle if c.closed_at is None)} "
        f"idle_closed={sum(1 for c in idle if c.closed_at is not None)}",
        flush=True,
    )


def reuse(held, request):
    ok = failed = 0
    for conn in held:
        if conn.kind != "idle" or conn.closed_at is not None:
            continue
        conn.sock.setblocking(True)
        conn.sock.settimeout(5)
        try:
            status = read_answer_after(conn.sock, request)
        except OSError:
            status = None
        if status == 200:
            ok += 1
        else:
            failed += 1
    print(f"reused ok={ok} failed={failed}", flush=True)


if __name__ == "__main__":
    main()
