#!/usr/bin/env python3
"""Demo upstream app: every GET answers an HTML page listing the request headers it received.

Usage: demo-app.py [--port N]   (N = 0 picks a free port; `PORT <n>` is printed once listening)
X-Auth-* headers (who the gateway says the user is) and X-Forwarded-* headers are highlighted.
Binds 127.0.0.1 only. Standard library only.
"""

import argparse
import urllib.parse
import html
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Demo app behind the gateway</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
  table {{ border-collapse: collapse; width: 100%; }}
  th, td {{ text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd;
           font-family: ui-monospace, monospace; word-break: break-all; }}
  tr.auth td {{ background: #e6f4ea; font-weight: bold; }}
  tr.fwd td {{ background: #e8f0fe; }}
  .legend span {{ padding: .1rem .4rem; margin-right: .6rem; }}
</style>
</head>
<body>
<h1>Demo app</h1>
<p>This page is served by a tiny upstream app. It lists the request as the gateway forwarded it.</p>
<p><strong>Path:</strong> <code>{path}</code> &nbsp; <strong>Method:</strong> <code>{method}</code></p>
<p>{identity}</p>
<p class="legend"><span style="background:#e6f4ea">X-Auth-*: identity set by the gateway</span>
<span style="background:#e8f0fe">X-Forwarded-*: added by the gateway</span></p>
<table>
<tr><th>Header</th><th>Value</th></tr>
{rows}
</table>
<p>Try <a href="/static/">/static/</a> or <a href="/some/other/path?x=1">/some/other/path?x=1</a>.</p>
</body>
</html>
"""


def row_class(name):
    lower = name.lower()
    if lower.startswith("x-auth-"):
        return ' class="auth"'
    if lower.startswith("x-forwarded-"):
        return ' class="fwd"'
    return ""


# (name, label) of the gateway's providers, from --link; each gets a "Link" button.
LINKABLE = []


def link_buttons(path, identities):
    linked = {entry.split(":", 1)[0] for entry in identities.split(",") if entry}
    buttons = [
        f'<a href="/auth/{html.escape(name)}?link=1&amp;next={html.escape(urllib.parse.quote(path, safe=""))}">'
        f"Link your {html.escape(label)} account</a>"
        for name, label in LINKABLE
        if name not in linked
    ]
    return ("<br>" + " &nbsp; ".join(buttons)) if buttons else ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, with Content-Length on every answer
    server_version = "demo-app"

    def page(self):
        rows = "\n".join(
            f"<tr{row_class(n)}><td>{html.escape(n)}</td><td>{html.escape(v)}</td></tr>"
            for n, v in self.headers.items()
        )
        user = self.headers.get("X-Auth-User") or self.headers.get("X-Auth-Email")
        identity = (
            f"Signed in as <strong>{html.escape(user)}</strong>. "
            '<form method="post" action="/auth/sign_out" style="display:inline">'
            '<button type="submit">Sign out</button></form> '
            '<a href="/auth/me">Your session as JSON</a>'
            + link_buttons(self.path, self.headers.get("X-Auth-Identities") or "")
            if user
            else "No X-Auth-* headers: this location is public (<code>auth off</code>)."
        )
        body = PAGE.format(
            path=html.escape(self.path), method=html.escape(self.command), identity=identity, rows=rows
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return body

    def do_GET(self):
        self.wfile.write(self.page())

    def do_HEAD(self):
        self.page()

    def log_message(self, fmt, *args):
        sys.stderr.write("demo-app: " + (fmt % args) + "\n")


def main():
    parser = argparse.ArgumentParser(description="Demo upstream app for the gateway.")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--link", action="append", default=[], metavar="NAME=LABEL",
                        help="a gateway provider to offer a 'Link your LABEL account' button for")
    args = parser.parse_args()
    for item in args.link:
        name, _, label = item.partition("=")
        LINKABLE.append((name, label or name))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
