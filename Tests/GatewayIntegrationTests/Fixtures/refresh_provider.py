#!/usr/bin/env python3
"""An OAuth 2.0 server whose access tokens live a few seconds and whose refresh tokens are
single-use and rotate (RFC 6749 §6, and the rotation of the OAuth 2.0 Security BCP §4.14.2),
for the gateway's token refresh tests. Python stdlib only; prints `PORT n` once it listens.

  GET  /oauth2/authorize       a form (client_id, redirect_uri, state, S256 challenge checked)
  POST /oauth2/authorize       302 to redirect_uri with code + state, for the form's `sub`
  POST /oauth2/token           authorization_code (PKCE, one use) or refresh_token: a refresh
                               token works once; a reused one is refused (invalid_grant) and
                               counted. Each refresh answers after --refresh-delay seconds.
  GET  /userinfo               Bearer -> {"id", "email", "email_verified", "name"} (401 once expired)
  GET  /_stats                 {"refreshes", "refused", "reused", "current": {sub: {access_token,
                               refresh_token, expires_at}}}
  POST /_revoke/SUB            every refresh token of SUB stops working (the next refresh is refused)

Usage: refresh_provider.py --client-id I --client-secret S [--access-ttl 4] [--refresh-delay 0.5]
"""
import argparse
import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

ARGS = None
LOCK = threading.Lock()
CODES = {}  # code -> {sub, redirect_uri, challenge}
ACCESS = {}  # access token -> {sub, expires_at}
REFRESH = {}  # live refresh token -> sub
USED = set()  # refresh tokens spent or revoked
CURRENT = {}  # sub -> the latest tokens issued
STATS = {"refreshes": 0, "refused": 0, "reused": 0}


def issue(sub):
    """A new access and refresh token for sub (caller holds LOCK)."""
    access, refresh = "at-" + secrets.token_urlsafe(18), "rt-" + secrets.token_urlsafe(18)
    expires_at = time.time() + ARGS.access_ttl
    ACCESS[access] = {"sub": sub, "expires_at": expires_at}
    REFRESH[refresh] = sub
    CURRENT[sub] = {"access_token": access, "refresh_token": refresh, "expires_at": expires_at}
    return {"access_token": access, "token_type": "Bearer", "expires_in": ARGS.access_ttl,
            "refresh_token": refresh, "scope": "profile"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json", extra=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        params.update(dict(parse_qsl(body, keep_blank_values=True)))
        if url.path == "/oauth2/authorize":
            return self.authorize(params)
        if url.path == "/oauth2/token" and self.command == "POST":
            return self.token(params)
        if url.path == "/userinfo":
            return self.userinfo()
        if url.path == "/_stats":
            with LOCK:
                return self.reply(200, dict(STATS, current=CURRENT))
        if url.path.startswith("/_revoke/") and self.command == "POST":
            sub = url.path[len("/_revoke/"):]
            with LOCK:
                for token in [t for t, s in REFRESH.items() if s == sub]:
                    del REFRESH[token]
                    USED.add(token)
            return self.reply(204, b"")
        self.reply(404, {"error": "not_found"})

    do_GET = do_POST = handle_any

    def authorize(self, p):
        if p.get("client_id") != ARGS.client_id or not p.get("redirect_uri") or p.get("code_challenge_method") != "S256":
            return self.reply(400, b"<p>bad authorization request</p>", "text/html")
        if self.command == "GET":
            form = f'<form method="post" action="{html.escape(self.path)}"><input name="sub"><button>Sign in</button></form>'
            return self.reply(200, form.encode(), "text/html")
        code = secrets.token_urlsafe(16)
        with LOCK:
            CODES[code] = {"sub": p.get("sub", ""), "redirect_uri": p["redirect_uri"], "challenge": p["code_challenge"]}
        target = p["redirect_uri"] + "?" + urlencode([("code", code), ("state", p.get("state", ""))])
        self.reply(302, b"", "text/plain", [("Location", target)])

    def client_ok(self, p):
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            user, password = unquote_plus(user), unquote_plus(password)
        else:
            user, password = p.get("client_id"), p.get("client_secret")
        return user == ARGS.client_id and password == ARGS.client_secret

    def token(self, p):
        if not self.client_ok(p):
            return self.reply(401, {"error": "invalid_client"})
        grant = p.get("grant_type")
        if grant == "authorization_code":
            with LOCK:
                entry = CODES.pop(p.get("code", ""), None)
                verifier = p.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if entry is None or entry["redirect_uri"] != p.get("redirect_uri") or digest != entry["challenge"]:
                    return self.reply(400, {"error": "invalid_grant"})
                return self.reply(200, issue(entry["sub"]))
        if grant == "refresh_token":
            token = p.get("refresh_token", "")
            with LOCK:
                sub = REFRESH.pop(token, None)  # single use: gone before anyone else can present it
                if sub is None:
                    STATS["refused"] += 1
                    if token in USED:
                        STATS["reused"] += 1
                    refused = True
                else:
                    USED.add(token)
                    STATS["refreshes"] += 1
                    refused = False
            if refused:
                return self.reply(400, {"error": "invalid_grant", "error_description": "refresh token is not valid"})
            time.sleep(ARGS.refresh_delay)  # a slow provider widens the window for concurrent requests
            with LOCK:
                return self.reply(200, issue(sub))
        self.reply(400, {"error": "unsupported_grant_type"})

    def userinfo(self):
        auth = self.headers.get("Authorization") or ""
        with LOCK:
            entry = ACCESS.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
            if entry is None or entry["expires_at"] < time.time():
                return self.reply(401, {"error": "invalid_token"})
            sub = entry["sub"]
        self.reply(200, {"id": sub, "email": sub + "@example.com", "email_verified": True, "name": sub.title()})


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--access-ttl", type=int, default=4)
    parser.add_argument("--refresh-delay", type=float, default=0.5)
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
