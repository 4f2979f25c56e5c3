#!/usr/bin/env python3
"""A deliberately misbehaving OpenID provider for the gateway's negative sign-in tests.

Usage: rogue_oidc.py --port 0 --mode MODE
Prints `PORT <n>` once it listens on 127.0.0.1. MODE picks what is wrong with the ID token:
  good         a valid RS256 token (control case)
  wrong_nonce  the nonce is not the one sent to /authorize
  expired      exp an hour ago
  alg_none     header alg "none", no signature
  unknown_kid  signed by a key that /jwks does not list
  hs256        HS256 with the RSA public key (PEM) as the HMAC secret
  wrong_aud    aud is another client
/authorize answers 302 straight back to redirect_uri with a code (no form).
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import sys
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CODES = {}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwk(key, kid):
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": b64(n), "e": b64(e)}


def token(mode, issuer, client_id, nonce):
    now = int(time.time())
    claims = {"iss": issuer, "sub": "rogue-user", "aud": client_id, "iat": now, "exp": now + 300,
              "nonce": nonce, "email": "rogue@example.com", "email_verified": True, "name": "Rogue"}
    header = {"alg": "RS256", "typ": "JWT", "kid": "main"}
    key = KEY
    if mode == "wrong_nonce":
        claims["nonce"] = "not-the-nonce"
    elif mode == "expired":
        claims["iat"], claims["exp"] = now - 7200, now - 3600
    elif mode == "wrong_aud":
        claims["aud"] = "someone-else"
    elif mode == "unknown_kid":
        header["kid"], key = "unlisted", OTHER_KEY
    signing_input = (b64(json.dumps(header if mode not in ("alg_none", "hs256") else
                                    {**header, "alg": "none" if mode == "alg_none" else "HS256"}).encode())
                     + "." + b64(json.dumps(claims).encode())).encode()
    if mode == "alg_none":
        return signing_input.decode() + "."
    if mode == "hs256":
        pem = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return signing_input.decode() + "." + b64(hmac.new(pem, signing_input, hashlib.sha256).digest())
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64(signature)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "good"

    def log_message(self, *args):
        pass

    def issuer(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/.well-known/openid-configuration":
            base = self.issuer()
            self.send_json(200, {"issuer": base, "authorization_endpoint": base + "/authorize",
                                 "token_endpoint": base + "/token", "jwks_uri": base + "/jwks",
                                 "userinfo_endpoint": base + "/userinfo",
                                 "id_token_signing_alg_values_supported": ["RS256"]})
        elif url.path == "/jwks":
            self.send_json(200, {"keys": [jwk(KEY, "main")]})
        elif url.path == "/authorize":
            code = b64(hashlib.sha256(str(time.time_ns()).encode()).digest())
            CODES[code] = (query.get("client_id", ""), query.get("nonce", ""))
            target = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_json(404, {"error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path != "/token" or form.get("code") not in CODES:
            self.send_json(400, {"error": "invalid_grant"})
            return
        client_id, nonce = CODES.pop(form["code"])
        self.send_json(200, {"access_token": "at-" + b64(b"x" * 12), "token_type": "Bearer", "expires_in": 300,
                             "id_token": token(Handler.mode, self.issuer(), client_id, nonce)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="good")
    args = parser.parse_args()
    Handler.mode = args.mode
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
