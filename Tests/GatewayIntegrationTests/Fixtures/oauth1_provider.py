#!/usr/bin/env python3
"""A Twitter-like identity provider on loopback, for the gateway's Twitter sign-in tests.

OAuth 1.0a ("Sign in with Twitter"): every signature, nonce, timestamp, token and verifier check
is oauthlib's RFC 5849 server side (RequestTokenEndpoint, AuthorizationEndpoint,
AccessTokenEndpoint, ResourceEndpoint) through the RequestValidator below. The gateway's own
signing code is never used here: oauthlib is the oracle.

  POST /oauth/request_token            signed, with oauth_callback -> oauth_token, secret, confirmed
  GET  /oauth/authenticate?oauth_token an HTML form: user name, Authorize / Deny
  POST /oauth/authenticate             302 to the callback with oauth_token + oauth_verifier,
                                       or with denied=TOKEN
  POST /oauth/access_token             signed, with oauth_verifier -> access token, user_id, screen_name
  GET  /1.1/account/verify_credentials.json   signed; id_str, screen_name, name (+ email when the
                                       user has one and include_email=true)

OAuth 2.0 (Twitter's API v2), a small emulator:
  GET  /i/oauth2/authorize             the form; checks client_id, S256 challenge, state
  POST /i/oauth2/authorize             302 to redirect_uri with code + state, or error=access_denied
  POST /2/oauth2/token                 HTTP Basic client auth, PKCE verifier, redirect_uri, one use
  GET  /2/users/me                     Bearer -> {"data": {"id", "name", "username"}}

  PUT  /users/{screen_name}            JSON {"email", "name", "id"} sets a user (like oidc-provider-mock)
  GET  /log                            JSON: the paths and Authorization schemes seen, in order
  GET  /access_tokens                  JSON: the OAuth 1.0a access tokens issued [{token, secret, user}]

Usage: oauth1_provider.py [--port 0] [--consumer-key K --consumer-secret S]
       [--client-id I --client-secret S]. Prints `PORT <n>` once it listens on 127.0.0.1.
"""

import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import (AccessTokenEndpoint, AuthorizationEndpoint, RequestTokenEndpoint, RequestValidator,
                             ResourceEndpoint)
from oauthlib.oauth1.rfc5849 import errors as oauth_errors
from oauthlib.oauth1.rfc5849.utils import parse_authorization_header

LOCK = threading.Lock()
CLIENTS = {}  # consumer key -> secret
REQUEST_TOKENS = {}  # token -> {secret, client, callback, verifier, user}
ACCESS_TOKENS = {}  # token -> {secret, client, user}
NONCES = set()
USERS = {}  # screen name -> {"id", "name", "email"}
OAUTH2 = {"client_id": None, "client_secret": None, "codes": {}, "tokens": {}}
LOG = []


def user(screen_name):
    if screen_name not in USERS:
        USERS[screen_name] = {"id": str(10_000_000 + len(USERS)), "name": screen_name.title(), "email": None}
    return USERS[screen_name]


class Validator(RequestValidator):
    """The provider's storage, as oauthlib asks for it. No signature logic lives here."""

    enforce_ssl = False  # loopback test server
    dummy_client = "dummy-client-key-000000"
    dummy_request_token = "dummy-request-token-000000"
    dummy_access_token = "dummy-access-token-0000000"

    @property
    def safe_characters(self):
        return set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    @property
    def client_key_length(self):
        return 8, 64

    def validate_client_key(self, client_key, request):
        return client_key in CLIENTS

    def get_client_secret(self, client_key, request):
        return CLIENTS.get(client_key, "dummy-secret")

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return redirect_uri.startswith(("http://", "https://"))

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None,
                                     access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token)
        if key in NONCES:
            return False
        NONCES.add(key)
        return True

    def save_request_token(self, token, request):
        REQUEST_TOKENS[token["oauth_token"]] = {
            "secret": token["oauth_token_secret"], "client": request.client_key,
            "callback": request.redirect_uri, "verifier": None, "user": None}

    def verify_request_token(self, token, request):
        return token in REQUEST_TOKENS

    def get_realms(self, token, request):
        return []

    def get_redirect_uri(self, token, request):
        return REQUEST_TOKENS[token]["callback"]

    def save_verifier(self, token, verifier, request):
        REQUEST_TOKENS[token]["verifier"] = verifier["oauth_verifier"]

    def validate_request_token(self, client_key, token, request):
        entry = REQUEST_TOKENS.get(token)
        return entry is not None and entry["client"] == client_key

    def get_request_token_secret(self, client_key, token, request):
        entry = REQUEST_TOKENS.get(token)
        return entry["secret"] if entry else "dummy-secret"

    def validate_verifier(self, client_key, token, verifier, request):
        entry = REQUEST_TOKENS.get(token)
        return entry is not None and entry["verifier"] is not None and secrets.compare_digest(entry["verifier"], verifier)

    def save_access_token(self, token, request):
        entry = REQUEST_TOKENS[request.resource_owner_key]
        ACCESS_TOKENS[token["oauth_token"]] = {
            "secret": token["oauth_token_secret"], "client": request.client_key, "user": entry["user"]}

    def invalidate_request_token(self, client_key, request_token, request):
        REQUEST_TOKENS.pop(request_token, None)

    def validate_access_token(self, client_key, token, request):
        entry = ACCESS_TOKENS.get(token)
        return entry is not None and entry["client"] == client_key

    def get_access_token_secret(self, client_key, token, request):
        entry = ACCESS_TOKENS.get(token)
        return entry["secret"] if entry else "dummy-secret"

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True


VALIDATOR = Validator()
REQUEST_TOKEN_ENDPOINT = RequestTokenEndpoint(VALIDATOR)
AUTHORIZATION_ENDPOINT = AuthorizationEndpoint(VALIDATOR)
ACCESS_TOKEN_ENDPOINT = AccessTokenEndpoint(VALIDATOR)
RESOURCE_ENDPOINT = ResourceEndpoint(VALIDATOR)


def add_query(uri, pairs):
    return uri + ("&" if "?" in uri else "?") + urllib.parse.urlencode(pairs)


def form_page(action, hidden, title):
    fields = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in hidden)
    return (f"<!doctype html><title>{html.escape(title)}</title><form method=post action=\"{action}\">{fields}"
            "<input name=user value=alice><button name=action value=authorize>Authorize app</button>"
            "<button name=action value=deny>Cancel</button></form>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="text/plain", headers=()):
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if status != 204:
            self.wfile.write(body)

    def reply_json(self, status, value):
        self.reply(status, json.dumps(value).encode(), "application/json")

    def redirect(self, location):
        self.reply(302, b"", headers=[("Location", location)])

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        # oauthlib needs the absolute URI the client signed: the scheme is ours, the authority the Host header's.
        uri = f"http://{self.headers.get('Host', '')}{self.path}"
        headers = {k: v for k, v in self.headers.items()}
        with LOCK:
            LOG.append({"method": self.command, "path": self.path,
                        "authorization": headers.get("Authorization", "").split(" ")[0]})
            route = ROUTES.get((self.command, url.path))
            if route:
                return route(self, uri, query, body, headers)
            if self.command == "PUT" and url.path.startswith("/users/"):
                return self.put_user(urllib.parse.unquote(url.path[len("/users/"):]), body)
            if self.command == "GET" and url.path == "/log":
                return self.reply_json(200, LOG)
            if self.command == "GET" and url.path == "/access_tokens":
                return self.reply_json(200, [{"token": t, "secret": e["secret"], "user": e["user"]}
                                             for t, e in ACCESS_TOKENS.items()])
            self.reply(404, b"not found")

    do_GET = do_POST = do_PUT = handle_any

    def put_user(self, screen_name, body):
        fields = json.loads(body or "{}")
        entry = user(screen_name)
        for key in ("email", "name", "id"):
            if key in fields:
                entry[key] = fields[key]
        self.reply(204)

    # OAuth 1.0a

    def request_token(self, uri, query, body, headers):
        out_headers, out_body, status = REQUEST_TOKEN_ENDPOINT.create_request_token_response(
            uri, http_method=self.command, body=body, headers=headers)
        self.reply(status, (out_body or "").encode(), out_headers.get("Content-Type", "text/plain"))

    def authenticate_form(self, uri, query, body, headers):
        token = query.get("oauth_token", "")
        if token not in REQUEST_TOKENS:
            return self.reply(400, b"unknown or expired oauth_token")
        self.reply(200, form_page("/oauth/authenticate", [("oauth_token", token)], "Authorize app"), "text/html")

    def authenticate_submit(self, uri, query, body, headers):
        fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        token = fields.get("oauth_token", "")
        entry = REQUEST_TOKENS.get(token)
        if entry is None:
            return self.reply(400, b"unknown or expired oauth_token")
        if fields.get("action") != "authorize":
            REQUEST_TOKENS.pop(token)
            return self.redirect(add_query(entry["callback"], [("denied", token)]))
        entry["user"] = fields.get("user") or "alice"
        user(entry["user"])
        authorize_uri = add_query(uri.split("?")[0], [("oauth_token", token)])
        try:
            out_headers, _, status = AUTHORIZATION_ENDPOINT.create_authorization_response(authorize_uri)
        except oauth_errors.OAuth1Error as error:
            return self.reply(error.status_code, error.urlencoded.encode())
        self.reply(status, b"", headers=list(out_headers.items()))

    def access_token(self, uri, query, body, headers):
        token = parse_authorization_header_token(headers.get("Authorization", ""))
        entry = REQUEST_TOKENS.get(token) or {}
        credentials = {}
        if entry.get("user"):
            credentials = {"user_id": USERS[entry["user"]]["id"], "screen_name": entry["user"]}
        out_headers, out_body, status = ACCESS_TOKEN_ENDPOINT.create_access_token_response(
            uri, http_method=self.command, body=body, headers=headers, credentials=credentials)
        self.reply(status, (out_body or "").encode(), out_headers.get("Content-Type", "text/plain"))

    def verify_credentials(self, uri, query, body, headers):
        valid, request = RESOURCE_ENDPOINT.validate_protected_resource_request(
            uri, http_method=self.command, body=body, headers=headers)
        if not valid:
            return self.reply_json(401, {"errors": [{"code": 32, "message": "Could not authenticate you."}]})
        screen_name = ACCESS_TOKENS[request.resource_owner_key]["user"]
        entry = USERS[screen_name]
        profile = {"id": int(entry["id"]), "id_str": entry["id"], "screen_name": screen_name, "name": entry["name"]}
        if query.get("include_email") == "true" and entry["email"]:
            profile["email"] = entry["email"]
        self.reply_json(200, profile)

    # OAuth 2.0

    def oauth2_problem(self, params):
        if params.get("response_type") != "code":
            return "response_type must be code"
        if params.get("client_id") != OAUTH2["client_id"]:
            return "unknown client_id"
        if not params.get("redirect_uri") or not params.get("state"):
            return "redirect_uri and state are required"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "an S256 code_challenge is required"
        if "users.read" not in params.get("scope", "").split(" "):
            return "scope must include users.read"
        return None

    def oauth2_form(self, uri, query, body, headers):
        problem = self.oauth2_problem(query)
        if problem:
            return self.reply(400, problem.encode())
        self.reply(200, form_page("/i/oauth2/authorize", sorted(query.items()), "Authorize app"), "text/html")

    def oauth2_submit(self, uri, query, body, headers):
        fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        problem = self.oauth2_problem(fields)
        if problem:
            return self.reply(400, problem.encode())
        redirect_uri, state = fields["redirect_uri"], fields["state"]
        if fields.get("action") != "authorize":
            return self.redirect(add_query(redirect_uri, [("state", state), ("error", "access_denied")]))
        code = secrets.token_urlsafe(24)
        OAUTH2["codes"][code] = {"redirect_uri": redirect_uri, "challenge": fields["code_challenge"],
                                 "user": fields.get("user") or "alice", "scope": fields["scope"]}
        user(OAUTH2["codes"][code]["user"])
        self.redirect(add_query(redirect_uri, [("state", state), ("code", code)]))

    def oauth2_token(self, uri, query, body, headers):
        scheme, _, encoded = headers.get("Authorization", "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        if (scheme.lower() != "basic" or urllib.parse.unquote_plus(client_id) != OAUTH2["client_id"]
                or urllib.parse.unquote_plus(secret) != OAUTH2["client_secret"]):
            return self.reply_json(401, {"error": "unauthorized_client",
                                         "error_description": "Missing valid authorization header"})
        fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        grant = OAUTH2["codes"].pop(fields.get("code", ""), None)
        verifier = fields.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (fields.get("grant_type") != "authorization_code" or grant is None
                or fields.get("redirect_uri") != grant["redirect_uri"]
                or fields.get("client_id", OAUTH2["client_id"]) != OAUTH2["client_id"]
                or not secrets.compare_digest(challenge, grant["challenge"])):
            return self.reply_json(400, {"error": "invalid_request",
                                         "error_description": "Value passed for the authorization code was invalid."})
        token = secrets.token_urlsafe(32)
        OAUTH2["tokens"][token] = grant["user"]
        self.reply_json(200, {"token_type": "bearer", "expires_in": 7200, "access_token": token,
                              "scope": grant["scope"]})

    def users_me(self, uri, query, body, headers):
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        screen_name = OAUTH2["tokens"].get(token) if scheme == "Bearer" else None
        if screen_name is None:
            return self.reply_json(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                         "detail": "Unauthorized"})
        entry = USERS[screen_name]
        self.reply_json(200, {"data": {"id": entry["id"], "name": entry["name"], "username": screen_name}})


def parse_authorization_header_token(value):
    try:
        return dict(parse_authorization_header(value)).get("oauth_token", "")
    except (ValueError, TypeError):
        return ""


ROUTES = {
    ("POST", "/oauth/request_token"): Handler.request_token,
    ("GET", "/oauth/authenticate"): Handler.authenticate_form,
    ("POST", "/oauth/authenticate"): Handler.authenticate_submit,
    ("POST", "/oauth/access_token"): Handler.access_token,
    ("GET", "/1.1/account/verify_credentials.json"): Handler.verify_credentials,
    ("GET", "/i/oauth2/authorize"): Handler.oauth2_form,
    ("POST", "/i/oauth2/authorize"): Handler.oauth2_submit,
    ("POST", "/2/oauth2/token"): Handler.oauth2_token,
    ("GET", "/2/users/me"): Handler.users_me,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--consumer-key", default="gateway-consumer-key")
    parser.add_argument("--consumer-secret", default="gateway-consumer-secret")
    parser.add_argument("--client-id", default="gateway-client-id")
    parser.add_argument("--client-secret", default="gateway-client-secret")
    args = parser.parse_args()
    CLIENTS[args.consumer_key] = args.consumer_secret
    OAUTH2["client_id"], OAUTH2["client_secret"] = args.client_id, args.client_secret
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
