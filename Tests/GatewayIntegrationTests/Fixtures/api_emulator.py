"""Emulates what the gateway's OAuth 2 presets call at GitHub, at Facebook, and at a generic
OAuth 2.0 server, on 127.0.0.1 (port 0 unless --port; prints `PORT n`). Python stdlib only.

Shapes follow the public references: GitHub's "Authorizing OAuth apps" and REST "Users",
"Emails" and "Organizations" pages; Facebook's "Manually Build a Login Flow" and Graph API
"User" and "Securing Requests" (appsecret_proof) pages; RFC 6749 and RFC 7636 for the rest.

GitHub    GET|POST /login/oauth/authorize, POST /login/oauth/access_token (JSON with
          `Accept: application/json`, else form encoding; errors are HTTP 200 with "error"),
          GET /user, /user/emails (needs user:email), /user/orgs (private memberships need
          read:org; paged with `per_page` and `Link`, at most --max-per-page items a page),
          /user/teams (needs read:org or repo, else 403; paged the same way)
Facebook  GET|POST /dialog/oauth, GET|POST /oauth/access_token (errors are HTTP 400 with an
          "error" object), GET /me?fields=... (needs appsecret_proof; email only if granted).
          An optional version segment (/v19.0/...) is ignored.
Generic   GET|POST /oauth2/authorize, POST /oauth2/token, GET /userinfo

Authorization endpoints answer GET with a form. Its POST, or a GET with `login=NAME`, answers
302 to redirect_uri with `code` and `state`; `decision=deny` (or `deny=1`) sends back
`error=access_denied`. `decline=SCOPE` grants every scope but that one (Facebook's `decline=email`).

Users: `PUT /users/NAME` with a JSON object, or `--user NAME=JSON` at startup:
  {"github": {/user object}, "emails": [/user/emails items], "orgs": [{"login": "Acme", "public": true}],
   "teams": [{"org": "Acme", "slug": "platform", "name": "Platform"}],
   "facebook": {"id": "...", "name": "...", "email": "..."}, "userinfo": {any userinfo document}}
GET /_requests lists the requests seen (method, path, query, headers, form) for assertions.
"""
import argparse
import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

ARGS = None
LOCK = threading.Lock()
USERS = {}
CODES = {}  # code -> grant
TOKENS = {}  # access token -> grant
REQUESTS = []

GITHUB_ERRORS = {
    "incorrect_client_credentials": "The client_id and/or client_secret passed are incorrect.",
    "redirect_uri_mismatch": "The redirect_uri MUST match the registered callback URL for this application.",
    "bad_verification_code": "The code passed is incorrect or expired.",
}


def scopes_of(text):
    return [s for s in re.split(r"[ ,]+", text or "") if s]


def pkce_ok(grant, verifier):
    challenge = grant.get("challenge")
    if not challenge:
        return True
    if grant.get("method") != "S256" or not verifier:
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # -- plumbing --------------------------------------------------------------------------
    def reply(self, status, body, content_type="application/json", extra=()):
        if not isinstance(body, bytes):
            body = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, url):
        self.reply(302, b"", "text/plain", [("Location", url)])

    def handle_any(self):
        url = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.form = {}
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            self.form = {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}
        path = re.sub(r"^/v\d+\.\d+/", "/", url.path)
        with LOCK:
            REQUESTS.append({"method": self.command, "path": path, "query": self.query,
                             "headers": dict(self.headers.items()), "form": self.form})
        route = ROUTES.get(path)
        if path.startswith("/users/") and self.command == "PUT":
            return self.put_user(path[len("/users/"):])
        if route is None:
            return self.reply(404, {"message": "Not Found"})
        route(self)

    do_GET = do_POST = do_PUT = handle_any

    def params(self):
        merged = dict(self.query)
        merged.update(self.form)
        return merged

    def client_credentials(self, params):
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            # RFC 6749 §2.3.1: each half is form-encoded before base64.
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            return unquote_plus(user), unquote_plus(password)
        return params.get("client_id"), params.get("client_secret")

    def bearer(self):
        auth = self.headers.get("Authorization") or ""
        for prefix in ("Bearer ", "token ", "OAuth "):
            if auth.startswith(prefix):
                return TOKENS.get(auth[len(prefix):])
        return TOKENS.get(self.query.get("access_token", ""))

    # -- users and introspection -------------------------------------------------------------
    def put_user(self, name):
        with LOCK:
            USERS[name] = json.loads(self.body or b"{}")
        self.reply(204, b"")

    def requests(self):
        with LOCK:
            self.reply(200, REQUESTS)

    # -- authorization (all three) ---------------------------------------------------------
    def authorize(self, kind):
        p = self.params()
        if p.get("client_id") != ARGS.client_id or not p.get("redirect_uri"):
            return self.reply(400, "<p>The application is not registered.</p>", "text/html")
        if kind == "oauth2" and p.get("response_type") != "code":
            return self.reply(400, "<p>response_type must be code</p>", "text/html")
        login = p.get("login")
        denied = p.get("decision") == "deny" or p.get("deny") == "1"
        if login is None and not denied:
            decline = '<label><input type="checkbox" name="decline" value="email"> Do not share my email</label>'
            page = (f'<form method="post" action="{html.escape(self.path)}"><input name="login">'
                    f'{decline if kind == "facebook" else ""}'
                    '<button name="decision" value="allow">Authorize</button>'
                    '<button name="decision" value="deny">Cancel</button></form>')
            return self.reply(200, page, "text/html")
        target = p["redirect_uri"] + ("&" if "?" in p["redirect_uri"] else "?")
        fragment = "#_=_" if kind == "facebook" else ""  # Facebook appends it to every redirect
        state = [("state", p["state"])] if "state" in p else []
        if denied:
            error = {"github": [("error", "access_denied"),
                                ("error_description", "The user has denied your application access."),
                                ("error_uri", "https://docs.github.com/apps/troubleshooting-authorization-request-errors/#access-denied")],
                     "facebook": [("error_reason", "user_denied"), ("error", "access_denied"),
                                  ("error_description", "Permissions error.")],
                     "oauth2": [("error", "access_denied")]}[kind]
            return self.redirect(target + urlencode(error + state) + fragment)
        with LOCK:
            if login not in USERS:
                return self.reply(200, f"<p>No such user: {html.escape(login)}</p>", "text/html")
            granted = scopes_of(p.get("scope"))
            # The user unticks a permission (Facebook), or an org policy cuts one (GitHub).
            declined = scopes_of(p.get("decline"))
            granted = [s for s in granted if s not in declined]
            code = secrets.token_urlsafe(20)
            CODES[code] = {"kind": kind, "user": login, "scopes": granted, "redirect_uri": p["redirect_uri"],
                           "challenge": p.get("code_challenge"), "method": p.get("code_challenge_method", "plain")}
        self.redirect(target + urlencode([("code", code)] + state) + fragment)

    def redeem(self, kind, prefix=""):
        """A new token and its grant for the request's code, or an error code; a code works once."""
        p = self.params()
        client_id, client_secret = self.client_credentials(p)
        with LOCK:
            grant = CODES.get(p.get("code", ""))
            if client_id != ARGS.client_id or client_secret != ARGS.client_secret:
                return None, "invalid_client"
            if grant is None or grant["kind"] != kind or not pkce_ok(grant, p.get("code_verifier")):
                return None, "invalid_grant"
            if grant["redirect_uri"] != p.get("redirect_uri"):
                return None, "redirect_uri_mismatch"
            del CODES[p["code"]]
            token = prefix + secrets.token_urlsafe(24)
            TOKENS[token] = grant
            return (token, grant), None

    # -- GitHub ----------------------------------------------------------------------------
    def github_token(self):
        if self.command != "POST":
            return self.reply(404, {"message": "Not Found"})
        issued, error = self.redeem("github", prefix="gho_")
        if error:
            code = {"invalid_client": "incorrect_client_credentials",
                    "invalid_grant": "bad_verification_code"}.get(error, error)
            body = {"error": code, "error_description": GITHUB_ERRORS[code],
                    "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"}
        else:
            body = {"access_token": issued[0], "scope": ",".join(issued[1]["scopes"]), "token_type": "bearer"}
        if "application/json" in (self.headers.get("Accept") or ""):
            return self.reply(200, body)
        self.reply(200, urlencode(body), "application/x-www-form-urlencoded")

    def github_grant(self):
        if not self.headers.get("User-Agent"):
            self.reply(403, "Request forbidden by administrative rules. Please make sure your request has a "
                            "User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).",
                       "text/plain")
            return None
        grant = self.bearer()
        if grant is None or grant["kind"] != "github":
            self.reply(401, {"message": "Requires authentication", "documentation_url": "https://docs.github.com/rest"})
            return None
        return grant

    def github_json(self, grant, body, extra=()):
        scopes = [("X-OAuth-Scopes", ", ".join(grant["scopes"])), ("X-GitHub-Media-Type", "github.v3; format=json")]
        self.reply(200, body, "application/json; charset=utf-8", scopes + list(extra))

    def github_user(self):
        grant = self.github_grant()
        if grant:
            user = USERS[grant["user"]].get("github", {})
            base = {"login": grant["user"], "id": 0, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": False,
                    "name": None, "company": None, "blog": "", "location": None, "email": None, "bio": None,
                    "public_repos": 2, "followers": 20, "following": 0, "created_at": "2008-01-14T04:33:35Z"}
            base.update(user)
            self.github_json(grant, base)

    def github_paged(self, grant, items, path):
        size = max(1, min(int(self.query.get("per_page", "30")), ARGS.max_per_page))
        page = max(1, int(self.query.get("page", "1")))
        chunk = items[(page - 1) * size: page * size]
        links = []
        if page * size < len(items):
            base = f"http://127.0.0.1:{self.server.server_port}{path}"
            links.append(f'<{base}?per_page={size}&page={page + 1}>; rel="next"')
            last = (len(items) + size - 1) // size
            links.append(f'<{base}?per_page={size}&page={last}>; rel="last"')
        self.github_json(grant, chunk, [("Link", ", ".join(links))] if links else [])

    def github_emails(self):
        grant = self.github_grant()
        if grant is None:
            return
        if not {"user:email", "user"} & set(grant["scopes"]):
            return self.reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest/users/emails"})
        self.github_paged(grant, USERS[grant["user"]].get("emails", []), "/user/emails")

    def github_orgs(self):
        grant = self.github_grant()
        if grant is None:
            return
        private = bool({"read:org", "user", "admin:org"} & set(grant["scopes"]))
        orgs = [{"login": o["login"], "id": i + 1, "node_id": "MDEyOk9yZ2FuaXphdGlvbjE=",
                 "url": f"https://api.github.com/orgs/{o['login']}", "description": ""}
                for i, o in enumerate(USERS[grant["user"]].get("orgs", [])) if private or o.get("public", False)]
        self.github_paged(grant, orgs, "/user/orgs")

    def github_teams(self):
        grant = self.github_grant()
        if grant is None:
            return
        # GitHub lists a user's teams only with read:org (or repo/user); without, 403.
        if not {"read:org", "repo", "user"} & set(grant["scopes"]):
            return self.reply(403, {"message": "Resource not accessible by integration",
                                    "documentation_url": "https://docs.github.com/rest/teams/teams#list-teams-for-the-authenticated-user"})
        teams = [{"id": i + 1, "node_id": "MDQ6VGVhbTE=", "name": t.get("name", t["slug"]), "slug": t["slug"],
                  "description": "", "privacy": "closed", "permission": "pull",
                  "url": f"https://api.github.com/teams/{i + 1}",
                  "organization": {"login": t["org"], "id": 1, "node_id": "MDEyOk9yZ2FuaXphdGlvbjE="}}
                 for i, t in enumerate(USERS[grant["user"]].get("teams", []))]
        self.github_paged(grant, teams, "/user/teams")

    # -- Facebook --------------------------------------------------------------------------
    def facebook_error(self, message, code, kind="OAuthException", subcode=None):
        error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
        if subcode:
            error["error_subcode"] = subcode
        self.reply(400, {"error": error})

    def facebook_token(self):
        issued, error = self.redeem("facebook")
        if error == "invalid_client":
            return self.facebook_error("Error validating client secret.", 1)
        if error:
            return self.facebook_error("Invalid verification code format.", 100, subcode=36008)
        self.reply(200, {"access_token": issued[0], "token_type": "bearer", "expires_in": 5183944})

    def facebook_me(self):
        grant = self.bearer()
        if grant is None or grant["kind"] != "facebook":
            return self.facebook_error("Invalid OAuth access token - Cannot parse access token", 190)
        token = (self.headers.get("Authorization") or "").split(" ", 1)[-1] or self.query.get("access_token")
        proof = hmac.new(ARGS.client_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
        given = self.query.get("appsecret_proof")
        if given is None:
            return self.facebook_error("API calls from the server require an appsecret_proof argument", 100,
                                       "GraphMethodException")
        if not hmac.compare_digest(given, proof):
            return self.facebook_error("Invalid appsecret_proof provided in the API argument", 100,
                                       "GraphMethodException")
        user = USERS[grant["user"]].get("facebook", {})
        fields = scopes_of(self.query.get("fields", "id,name"))
        me = {"id": user.get("id")}
        if "name" in fields and "name" in user:
            me["name"] = user["name"]
        if "email" in fields and "email" in grant["scopes"] and user.get("email"):
            me["email"] = user["email"]
        self.reply(200, me)

    # -- generic OAuth 2.0 -----------------------------------------------------------------
    def oauth2_token(self):
        if self.command != "POST":
            return self.reply(405, {"error": "invalid_request"})
        issued, error = self.redeem("oauth2")
        if error:
            status = 401 if error == "invalid_client" else 400
            extra = [("WWW-Authenticate", 'Basic realm="oauth2"')] if status == 401 else []
            return self.reply(status, {"error": "invalid_grant" if error != "invalid_client" else error}, extra=extra)
        self.reply(200, {"access_token": issued[0], "token_type": "Bearer", "expires_in": 3600,
                         "scope": " ".join(issued[1]["scopes"])}, extra=[("Cache-Control", "no-store")])

    def oauth2_userinfo(self):
        grant = self.bearer()
        if grant is None or grant["kind"] != "oauth2":
            return self.reply(401, {"error": "invalid_token"}, extra=[("WWW-Authenticate", 'Bearer error="invalid_token"')])
        self.reply(200, USERS[grant["user"]].get("userinfo", {}))


ROUTES = {
    "/_requests": Handler.requests,
    "/login/oauth/authorize": lambda h: h.authorize("github"),
    "/login/oauth/access_token": Handler.github_token,
    "/user": Handler.github_user,
    "/user/emails": Handler.github_emails,
    "/user/orgs": Handler.github_orgs,
    "/user/teams": Handler.github_teams,
    "/dialog/oauth": lambda h: h.authorize("facebook"),
    "/oauth/access_token": Handler.facebook_token,
    "/me": Handler.facebook_me,
    "/oauth2/authorize": lambda h: h.authorize("oauth2"),
    "/oauth2/token": Handler.oauth2_token,
    "/userinfo": Handler.oauth2_userinfo,
}


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", default="client-id")
    parser.add_argument("--client-secret", default="client-secret")
    parser.add_argument("--max-per-page", type=int, default=100)
    parser.add_argument("--user", action="append", default=[], help="NAME=JSON")
    ARGS = parser.parse_args()
    for spec in ARGS.user:
        name, _, doc = spec.partition("=")
        USERS[name] = json.loads(doc)
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
