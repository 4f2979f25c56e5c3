#!/usr/bin/env python3
"""Test upstream for the gateway's integration tests: HTTP/1.1 with keep-alive, stdlib only.

Usage: upstream.py --port 0 [--idle-close-ms N]
Prints exactly `PORT <n>` (flushed) once it listens on 127.0.0.1.

Request bodies are read in pieces (Content-Length or chunked) and only hashed, never kept whole.
Every response carries X-Upstream-Connection (the connection's serial number, from 1) and
X-Upstream-Request-Index (the k-th request on that connection, from 1).

Endpoints (any method; HEAD answers the same head with no body):
  /download?size=N[&chunked=1]  N bytes, byte i = i % 251, in 64 KiB pieces, with backpressure
  /upload                       JSON {body_bytes, body_sha256}
  /slow?ms=N                    answers after N ms
  /status?code=N                answers that status (204 and 304 without a body)
  /hop                          a response full of hop-by-hop fields, plus X-End-To-End: yes
  /close                        Connection: close, then closes
  /stats                        JSON {connections_accepted, connections_open, requests, dropped}
  /no-length                    no Content-Length, no chunked: the close ends the body
  (the tunnel paths match by their last segment: /public/ws is /ws)
  /ws (with Upgrade)            101 Switching Protocols with the right Sec-WebSocket-Accept (when
                                the request has a key), then echoes bytes upper-cased (a tunnel)
  /ws-wrong-accept (Upgrade)    the same 101, but its accept is the key reflected, not hashed
  /ws-no-accept (Upgrade)       the same 101 without Sec-WebSocket-Accept (a reflecting server)
  /ws-flood (with Upgrade)      the right 101, then sends bytes as fast as the peer takes them
  /ws-deaf (with Upgrade)       the right 101, then never reads again
  /h2c                          answers 101 Upgrade: h2c to anything, even a plain request
  anything else                 JSON echo of the request (method, path = the request-target as
                                received, version, headers in order, body size and SHA-256)
"""

import argparse
import ssl
import asyncio
import base64
import hashlib
import http
import json
import signal
import sys
from urllib.parse import parse_qs, urlsplit

PIECE = 64 * 1024
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Paths that answer a request with Connection: upgrade with a 101 and become a tunnel.
TUNNEL_PATHS = ("/ws", "/ws-wrong-accept", "/ws-no-accept", "/ws-flood", "/ws-deaf")
MAX_LINE = 64 * 1024
MAX_HEAD = 1024 * 1024
PATTERN_PERIOD = 251
# Any piece of the pattern is a slice of this buffer, starting at offset % 251.
PATTERN = bytes(i % PATTERN_PERIOD for i in range(PIECE + PATTERN_PERIOD))


class BadRequest(Exception):
    pass


class Stats:
    connections_accepted = 0
    connections_open = 0
    requests = 0
    dropped = 0


class Options:
    close_on_reuse = False


def reason(code):
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Status"


async def read_line(reader):
    """One head line without its CRLF (a bare LF is accepted); None at a clean EOF."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise BadRequest("truncated line") from None
        return None
    except asyncio.LimitOverrunError:
        raise BadRequest("line too long") from None
    return line[:-2] if line.endswith(b"\r\n") else line[:-1]


async def read_head(reader, idle_timeout):
    """(method, target, version, [(name, value)]) or None when the peer closed or stayed idle."""
    try:
        if idle_timeout is not None:
            first = await asyncio.wait_for(read_line(reader), idle_timeout)
        else:
            first = await read_line(reader)
    except asyncio.TimeoutError:
        return None
    if first is None:
        return None
    parts = first.split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise BadRequest("bad request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    headers = []
    size = len(first)
    while True:
        line = await read_line(reader)
        if line is None:
            raise BadRequest("eof in head")
        if not line:
            break
        size += len(line)
        if size > MAX_HEAD:
            raise BadRequest("head too large")
        name, sep, value = line.partition(b":")
        if not sep or not name:
            raise BadRequest("bad header line")
        headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
    return method, target, version, headers


def header_values(headers, name):
    name = name.lower()
    return [v for n, v in headers if n.lower() == name]


def tokens(headers, name):
    return [t.strip().lower() for v in header_values(headers, name) for t in v.split(",") if t.strip()]


async def consume_body(reader, headers):
    """Reads the request body in pieces; returns (byte count, sha256 hex)."""
    digest = hashlib.sha256()
    total = 0
    te = tokens(headers, "transfer-encoding")
    if te:
        if te[-1] != "chunked":
            raise BadRequest("unsupported transfer-encoding")
        while True:
            line = await read_line(reader)
            if line is None:
                raise BadRequest("eof in chunk size")
            size_text = line.split(b";", 1)[0].strip(b" \t")
            if not size_text or size_text.strip(b"0123456789abcdefABCDEF"):
                raise BadRequest("bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            remaining = size
            while remaining:
                piece = await reader.read(min(remaining, PIECE))
                if not piece:
                    raise BadRequest("eof in chunk")
                digest.update(piece)
                remaining -= len(piece)
            total += size
            if await read_line(reader) != b"":
                raise BadRequest("missing CRLF after chunk")
        while True:  # trailer section
            line = await read_line(reader)
            if line is None:
                raise BadRequest("eof in trailers")
            if not line:
                break
        return total, digest.hexdigest()
    lengths = header_values(headers, "content-length")
    if not lengths:
        return 0, digest.hexdigest()
    if len(set(lengths)) != 1 or not lengths[0].isdigit():
        raise BadRequest("bad content-length")
    remaining = int(lengths[0])
    while remaining:
        piece = await reader.read(min(remaining, PIECE))
        if not piece:
            raise BadRequest("eof in body")
        digest.update(piece)
        total += len(piece)
        remaining -= len(piece)
    return total, digest.hexdigest()


def query_int(query, name, default):
    try:
        return int(query.get(name, [default])[0])
    except ValueError:
        return default


class Connection:
    def __init__(self, reader, writer, serial, idle_timeout):
        self.reader = reader
        self.writer = writer
        self.serial = serial
        self.idle_timeout = idle_timeout
        self.index = 0

    def write_head(self, code, fields, keep_alive):
        lines = [f"HTTP/1.1 {code} {reason(code)}"]
        lines += [f"{n}: {v}" for n, v in fields]
        lines.append(f"X-Upstream-Connection: {self.serial}")
        lines.append(f"X-Upstream-Request-Index: {self.index}")
        if not keep_alive and not any(n.lower() == "connection" for n, _ in fields):
            lines.append("Connection: close")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send(self, code, body, fields, keep_alive, head_only, content_type="application/json"):
        fields = [("Content-Type", content_type)] + list(fields)
        if code not in (204, 304):
            fields.append(("Content-Length", str(len(body))))
        self.write_head(code, fields, keep_alive)
        if not head_only and code not in (204, 304):
            self.writer.write(body)
        await self.writer.drain()

    async def download(self, size, chunked, keep_alive, head_only):
        framing = ("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(size))
        self.write_head(200, [("Content-Type", "application/octet-stream"), framing], keep_alive)
        if not head_only:
            offset = 0
            while offset < size:
                n = min(PIECE, size - offset)
                start = offset % PATTERN_PERIOD
                piece = PATTERN[start : start + n]
                if chunked:
                    self.writer.write(b"%x\r\n" % n + piece + b"\r\n")
                else:
                    self.writer.write(piece)
                offset += n
                await self.writer.drain()
            if chunked:
                self.writer.write(b"0\r\n\r\n")
        await self.writer.drain()

    async def serve(self):
        while True:
            head = await read_head(self.reader, self.idle_timeout)
            if head is None:
                return
            method, target, version, headers = head
            self.index += 1
            if Options.close_on_reuse and self.index > 1:
                Stats.dropped += 1
                return  # as if the idle connection had been closed just as this request came
            Stats.requests += 1
            conn_tokens = tokens(headers, "connection")
            if version == "HTTP/1.0":
                keep_alive = "keep-alive" in conn_tokens
            else:
                keep_alive = "close" not in conn_tokens
            has_body = bool(header_values(headers, "transfer-encoding") or header_values(headers, "content-length"))
            if has_body and "100-continue" in tokens(headers, "expect"):
                self.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                await self.writer.drain()
            # By the last segment, so /public/ws and /ws behave alike.
            name = "/" + urlsplit(target).path.rsplit("/", 1)[-1]
            if name in TUNNEL_PATHS and "upgrade" in conn_tokens or name == "/h2c":
                await self.tunnel(name, headers)
                return
            body_bytes, body_sha256 = await consume_body(self.reader, headers)
            if not await self.respond(method, target, version, headers, body_bytes, body_sha256, keep_alive):
                return
            if not keep_alive:
                return

    async def tunnel(self, path, headers):
        """A 101 (see TUNNEL_PATHS), then every byte received is sent back upper-cased until EOF."""
        protocol = "h2c" if path == "/h2c" else (header_values(headers, "upgrade") or ["websocket"])[0]
        key = (header_values(headers, "sec-websocket-key") or [None])[0]
        accept = ""
        if key is not None and path == "/ws-wrong-accept":
            accept = f"Sec-WebSocket-Accept: {key}\r\n"
        elif key is not None and path in ("/ws", "/ws-flood", "/ws-deaf"):
            digest = hashlib.sha1((key + WEBSOCKET_GUID).encode("latin-1")).digest()
            accept = f"Sec-WebSocket-Accept: {base64.b64encode(digest).decode()}\r\n"
        self.writer.write(
            f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: {protocol}\r\nConnection: Upgrade\r\n{accept}"
            f"X-Upstream-Connection: {self.serial}\r\n\r\n".encode("latin-1"))
        await self.writer.drain()
        if path == "/ws-deaf":
            await asyncio.sleep(3600)
            return
        if path == "/ws-flood":
            try:
                while True:
                    self.writer.write(PATTERN[:PIECE])
                    await self.writer.drain()
            except ConnectionError:
                return
        while True:
            data = await self.reader.read(65536)
            if not data:
                return
            self.writer.write(data.upper())
            await self.writer.drain()

    async def respond(self, method, target, version, headers, body_bytes, body_sha256, keep_alive):
        """Writes one response; returns False when the connection must close after it."""
        head_only = method == "HEAD"
        url = urlsplit(target)
        query = parse_qs(url.query)
        path = url.path

        if path == "/download":
            await self.download(max(0, query_int(query, "size", 0)), query.get("chunked") == ["1"], keep_alive, head_only)
        elif path == "/slow":
            await asyncio.sleep(max(0, query_int(query, "ms", 0)) / 1000)
            await self.send(200, b'{"slow": true}', [], keep_alive, head_only)
        elif path == "/status":
            code = query_int(query, "code", 200)
            if not 200 <= code <= 599:
                code = 400
            await self.send(code, json.dumps({"status": code}).encode(), [], keep_alive, head_only)
        elif path == "/hop":
            fields = [
                ("Connection", "X-Custom-Hop"),
                ("X-Custom-Hop", "1"),
                ("Keep-Alive", "timeout=5"),
                ("Proxy-Connection", "keep-alive"),
                ("Trailer", "X-T"),
                ("X-End-To-End", "yes"),
            ]
            if not keep_alive:
                fields[0] = ("Connection", "close, X-Custom-Hop")
            await self.send(200, b'{"hop": true}', fields, keep_alive, head_only)
        elif path == "/close":
            await self.send(200, b'{"close": true}', [("Connection", "close")], False, head_only)
            return False
        elif path == "/stats":
            stats = {"connections_accepted": Stats.connections_accepted, "requests": Stats.requests,
                     "dropped": Stats.dropped, "connections_open": Stats.connections_open}
            await self.send(200, json.dumps(stats).encode(), [], keep_alive, head_only)
        elif path == "/no-length":
            self.write_head(200, [("Content-Type", "text/plain"), ("Connection", "close")], False)
            if not head_only:
                self.writer.write(b"no length: the close ends this body\n")
            await self.writer.drain()
            return False
        elif path == "/upload":
            result = {"body_bytes": body_bytes, "body_sha256": body_sha256}
            await self.send(200, json.dumps(result).encode(), [], keep_alive, head_only)
        else:
            echo = {
                "method": method,
                "path": target,
                "version": version,
                "headers": [[n, v] for n, v in headers],
                "connection_id": self.serial,
                "request_index": self.index,
                "body_bytes": body_bytes,
                "body_sha256": body_sha256,
            }
            await self.send(200, json.dumps(echo).encode(), [], keep_alive, head_only)
        return True


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--idle-close-ms", type=int, default=None,
                        help="close a keep-alive connection idle for this many ms")
    parser.add_argument("--close-on-reuse", action="store_true",
                        help="close a connection, unanswered, when a second request arrives on it")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate chain (and --tls-key)")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    Options.close_on_reuse = args.close_on_reuse
    idle_timeout = args.idle_close_ms / 1000 if args.idle_close_ms else None

    async def handle(reader, writer):
        Stats.connections_accepted += 1
        Stats.connections_open += 1
        conn = Connection(reader, writer, Stats.connections_accepted, idle_timeout)
        try:
            await conn.serve()
        except BadRequest:
            try:
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
            except (ConnectionError, OSError):
                pass
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the peer went away, or we are shutting down
        finally:
            Stats.connections_open -= 1
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    server = await asyncio.start_server(handle, "127.0.0.1", args.port, limit=MAX_LINE, backlog=1024, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
