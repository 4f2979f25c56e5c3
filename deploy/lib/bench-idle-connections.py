"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET on each and reads its answer,
then holds them all open and idle until it is signalled or HOLD seconds pass. Prints
"ready OPENED FAILED" once every connection has had its answer (or the open deadline passed).

deploy/bench uses it for the memory figures: the server's RSS with N idle keep-alive connections.
Usage: python3 bench-idle-connections.py PORT PATH N [OPEN_SECONDS (60)] [HOLD_SECONDS (60)]
"""
import resource
import socket
import sys
import time


def exchange(sock, request):
    """Sends the request and reads one answer with a Content-Length body; False on any error."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        return False
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def main():
    port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    open_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    hold_seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 60
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    deadline = time.monotonic() + open_seconds
    held, failed = [], 0
    # One connection at a time: the server never sees more than one request in flight, so the
    # figure is the cost of idle connections, not of a burst.
    while len(held) < count and time.monotonic() < deadline and failed < 100:
        sock = socket.socket()
        sock.settimeout(5)
        try:
            sock.connect(("127.0.0.1", port))
            if exchange(sock, request):
                held.append(sock)
                continue
        except OSError:
            pass
        failed += 1
        sock.close()
    print(f"ready {len(held)} {failed}", flush=True)
    time.sleep(hold_seconds)


if __name__ == "__main__":
    main()
