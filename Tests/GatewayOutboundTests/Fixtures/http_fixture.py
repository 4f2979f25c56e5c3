"""A small HTTP/1.1 server for CurlHTTPClient's tests: binds 127.0.0.1 port 0 and prints `PORT n`.
With `--cert FILE --key FILE` it speaks HTTPS.

/json               echoes method, path, headers (in order), body and the client's port as JSON
/slow?ms=N          answers after N milliseconds
/big?size=N         N bytes of "x" with a Content-Length (&chunked=1: chunked, no length)
/status?code=N      answers with status N
/redirect           302 to /json
/early-hints        a 103 head (Link, X-Interim) before the 200 (X-Final)
"""
import argparse
import json
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304) and status >= 200:
            self.wfile.write(body)

    def handle_any(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/json":
            echo = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("latin-1"),
                "client_port": self.client_address[1],
            }
            self.reply(200, json.dumps(echo).encode(), "application/json")
        elif url.path == "/slow":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            self.reply(200, b"slow")
        elif url.path == "/big":
            size = int(query.get("size", "0"))
            if query.get("chunked") == "1":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                sent = 0
                while sent < size:
                    n = min(4096, size - sent)
                    self.wfile.write(b"%x\r\n%s\r\n" % (n, b"x" * n))
                    sent += n
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.reply(200, b"x" * size)
        elif url.path == "/status":
            code = int(query.get("code", "200"))
            self.reply(code, b"status %d" % code)
        elif url.path == "/redirect":
            self.reply(302, b"moved", extra=[("Location", "/json")])
        elif url.path == "/early-hints":
            self.wfile.write(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nX-Interim: 1\r\n\r\n")
            self.reply(200, b"final", extra=[("X-Final", "1")])
        else:
            self.reply(404, b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 drops SYNs when 50 clients connect at once

    def handle_error(self, request, client_address):
        pass  # clients that time out or cancel close early; that is the point of those tests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        # The handshake then runs in the handler's thread, not in the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
