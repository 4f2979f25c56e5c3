#!/usr/bin/env python3
"""A small OpenID provider on loopback whose tokens are made by joserfc, for the gateway's
bearer-token, back-channel logout and identity-assertion tests.

Usage: jwt_issuer.py --port 0
Prints `PORT <n>` once it listens on 127.0.0.1. The issuer is http://127.0.0.1:<n>.

  GET  /.well-known/openid-configuration, /jwks (RSA rsa-1, EC ec-1, Ed25519 ed-1)
  GET  /login_as?sub=&sid=&email=   who the next /authorize signs in (and with which sid)
  GET  /authorize                   302 straight back to redirect_uri with a code
  POST /token                       an RS256 ID token with nonce, sid, email
  GET  /mint?kind=bearer|logout&... a token; see mint() for the knobs
  POST /verify_assertion            {"jwks_url","token","audience"}: checks the gateway's
                                    X-Auth-Assertion with joserfc against its JWKS
  GET  /stats                       {"jwks_fetches": n}
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import secrets
import sys
import time
import urllib.parse
import urllib.request
import warnings

from cryptography.hazmat.primitives import serialization
from joserfc import jwt, jws
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

warnings.filterwarnings("ignore")

KEYS = {
    "rsa-1": RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"}),
    "ec-1": ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"}),
    "ed-1": OKPKey.generate_key("Ed25519", parameters={"kid": "ed-1", "use": "sig"}),
}
UNLISTED = RSAKey.generate_key(2048, parameters={"kid": "unlisted"})
ALG_KEY = {"RS256": "rsa-1", "PS256": "rsa-1", "ES256": "ec-1", "EdDSA": "ed-1"}
STATE = {"jwks_fetches": 0, "login": {"sub": "api-user", "sid": None, "email": None}, "codes": {}}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(claims, alg="RS256", kid=None, key=None):
    key = key or KEYS[ALG_KEY[alg]]
    header = {"alg": alg, "kid": kid if kid is not None else key.kid}
    if kid == "":
        del header["kid"]
    return jwt.encode(header, claims, key, algorithms=[alg])


def mint(issuer, q):
    """kind=bearer: alg, aud, sub, email, variant (good, expired, nbf_future, iat_future, wrong_aud,
    wrong_iss, unknown_kid, none, hs256, no_exp, tampered). kind=logout: aud, sub, sid, jti, variant
    (good, nonce, no_events, no_jti, wrong_aud, expired_iat)."""
    now = int(time.time())
    variant = q.get("variant", "good")
    alg = q.get("alg", "RS256")
    if q.get("kind") == "logout":
        claims = {"iss": issuer, "aud": q.get("aud", "gateway"), "iat": now, "exp": now + 120,
                  "jti": q.get("jti") or secrets.token_hex(8),
                  "events": {"http://schemas.openid.net/event/backchannel-logout": {}}}
        for name in ("sub", "sid"):
            if q.get(name):
                claims[name] = q[name]
        if variant == "nonce":
            claims["nonce"] = "n"
        elif variant == "no_events":
            del claims["events"]
        elif variant == "no_jti":
            del claims["jti"]
        elif variant == "wrong_aud":
            claims["aud"] = "someone-else"
        elif variant == "expired_iat":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        return sign(claims, alg)
    claims = {"iss": issuer, "sub": q.get("sub", "api-user"), "aud": q.get("aud", "api"), "iat": now,
              "exp": now + 300}
    if q.get("email"):
        claims["email"], claims["email_verified"] = q["email"], True
    if variant == "expired":
        claims["iat"], claims["exp"] = now - 7200, now - 3600
    elif variant == "nbf_future":
        claims["nbf"] = now + 3600
    elif variant == "iat_future":
        claims["iat"] = now + 3600
    elif variant == "wrong_aud":
        claims["aud"] = ["other-api"]
    elif variant == "wrong_iss":
        claims["iss"] = issuer + "/other"
    elif variant == "no_exp":
        del claims["exp"]
    elif variant == "unknown_kid":
        return sign(claims, "RS256", key=UNLISTED)
    elif variant == "none":
        return jws.serialize_compact({"alg": "none"}, json.dumps(claims).encode(), None, algorithms=["none"])
    elif variant == "hs256":
        # The classic confusion attack: the issuer's public key used as an HMAC secret. joserfc
        # refuses to build it, so it is made by hand here.
        pem = KEYS["rsa-1"].raw_value.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        head = b64(json.dumps({"alg": "HS256", "kid": "rsa-1"}).encode()) + "." + b64(json.dumps(claims).encode())
        return head + "." + b64(hmac.new(pem, head.encode(), hashlib.sha256).digest())
    token = sign(claims, alg)
    if variant == "tampered":
        head, body, sig = token.split(".")
        claims["sub"] = "someone-else"
        token = head + "." + b64(json.dumps(claims).encode()) + "." + sig
    return token


def verify_assertion(request):
    with urllib.request.urlopen(request["jwks_url"], timeout=5) as answer:
        keys = KeySet.import_key_set(json.load(answer))
    token = jwt.decode(request["token"], keys, algorithms=["ES256"])
    audience = request["audience"]
    registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": audience},
                                     aud={"essential": True, "value": audience},
                                     exp={"essential": True}, iat={"essential": True}, sub={"essential": True})
    registry.validate(token.claims)
    return {"header": token.header, "claims": token.claims}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def issuer(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, status, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        issuer = self.issuer()
        if url.path == "/.well-known/openid-configuration":
            self.reply(200, json.dumps({
                "issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
                "code_challenge_methods_supported": ["S256"], "backchannel_logout_supported": True,
                "backchannel_logout_session_supported": True}))
        elif url.path == "/jwks":
            STATE["jwks_fetches"] += 1
            self.reply(200, json.dumps({"keys": [k.as_dict(private=False) for k in KEYS.values()]}))
        elif url.path == "/stats":
            self.reply(200, json.dumps({"jwks_fetches": STATE["jwks_fetches"]}))
        elif url.path == "/login_as":
            STATE["login"] = {"sub": q.get("sub", "api-user"), "sid": q.get("sid"), "email": q.get("email")}
            self.reply(200, "{}")
        elif url.path == "/authorize":
            code = secrets.token_hex(8)
            STATE["codes"][code] = (q.get("nonce"), dict(STATE["login"]))
            target = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": q.get("state", "")})
            self.reply(302, "", headers=[("Location", target)])
        elif url.path == "/mint":
            self.reply(200, mint(issuer, q), "text/plain")
        else:
            self.reply(404, "{}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/token":
            form = dict(urllib.parse.parse_qsl(body))
            client_id = form.get("client_id")
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                client_id = urllib.parse.unquote(base64.b64decode(auth[6:]).decode().split(":", 1)[0])
            found = STATE["codes"].pop(form.get("code"), None)
            if found is None:
                return self.reply(400, json.dumps({"error": "invalid_grant"}))
            nonce, login = found
            now = int(time.time())
            claims = {"iss": self.issuer(), "sub": login["sub"], "aud": client_id, "iat": now, "exp": now + 300,
                      "nonce": nonce, "name": "User " + login["sub"]}
            if login["sid"]:
                claims["sid"] = login["sid"]
            if login["email"]:
                claims["email"], claims["email_verified"] = login["email"], True
            self.reply(200, json.dumps({"access_token": secrets.token_hex(8), "token_type": "Bearer",
                                        "id_token": sign(claims), "expires_in": 300}))
        elif url.path == "/verify_assertion":
            try:
                self.reply(200, json.dumps(verify_assertion(json.loads(body))))
            except Exception as error:  # the test reads why
                self.reply(400, json.dumps({"error": repr(error)}))
        else:
            self.reply(404, "{}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
