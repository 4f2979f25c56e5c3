// The account page's HTML: identities (link, unlink) and active sessions (sign out), with
// plain forms and links only, so it works without JavaScript. Every value is escaped.
import GatewayCore
import GatewayProxy

enum AccountPage {
    static func html(_ view: AccountView) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Your account</title>
        <style>\(style)</style></head>
        <body><main>
        <h1>Your account</h1>
        <p>Signed in as <strong>\(e(view.displayName))</strong>.</p>
        \(identities(view))
        \(sessions(view))
        </main></body></html>

        """
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff;line-height:1.45}
        h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem} h3{font-size:1.05rem}
        table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #767676;vertical-align:top}
        ul{list-style:none;padding:0} li{margin:.4rem 0} form{margin:0} section>form{margin-top:1rem} time,button{white-space:nowrap}
        button,.button{font:inherit;display:inline-block;padding:.4rem .8rem;border:1px solid #595959;border-radius:6px;color:#1a1a1a;background:#f2f2f2;text-decoration:none;cursor:pointer}
        button:hover,.button:hover{background:#e0e0e0}
        :focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
        .ok{color:#0b5a24} .no{color:#8a1c1c} .current{font-weight:600;color:#0b3d91}
        .note{color:#404040;font-size:.92rem}
        """

    private static func e(_ s: String) -> String { HTMLText.escape(s) }

    private static func identities(_ view: AccountView) -> String {
        var rows = ""
        for identity in view.identities {
            let verified = identity.linked.emailVerified
            let email =
                identity.linked.email.map {
                    "\(e($0)) <span class=\"\(verified ? "ok" : "no")\">(\(verified ? "verified" : "not verified"))</span>"
                } ?? "<span class=\"note\">none</span>"
            var action = "<span class=\"note\">Your only sign-in; it stays linked.</span>"
            if identity.canUnlink {
                let warning =
                    identity.signsOutHere
                    ? " <span class=\"note\">(you signed in with it, so this signs you out here)</span>" : ""
                action =
                    "<form method=\"post\" action=\"\(e(identity.unlinkAction))\"><button type=\"submit\">Unlink \(e(identity.displayName))</button>\(warning)</form>"
            }
            rows +=
                "<tr><th scope=\"row\">\(e(identity.displayName))</th><td>\(e(identity.linked.login ?? "—"))</td><td>\(email)</td>"
                + "<td>\(time(identity.linked.linkedAt))</td><td>\(action)</td></tr>\n"
        }
        var links = ""
        if !view.linkable.isEmpty {
            links = "<h3>Link another account</h3>\n<ul>\n"
            for provider in view.linkable {
                links +=
                    "<li><a class=\"button\" href=\"\(e(provider.href))\">Link \(e(provider.displayName))</a></li>\n"
            }
            links += "</ul>\n"
        }
        return """
            <section aria-labelledby="identities"><h2 id="identities">Sign-in accounts</h2>
            <table><thead><tr><th scope="col">Provider</th><th scope="col">Login</th><th scope="col">Email</th><th scope="col">Linked</th><th scope="col">Action</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            \(links)</section>
            """
    }

    private static func sessions(_ view: AccountView) -> String {
        var rows = ""
        for session in view.sessions {
            let marker = session.isCurrent ? " <span class=\"current\">(this session)</span>" : ""
            let label = session.isCurrent ? "Sign out" : "Sign out this session"
            let described = "session-\(e(session.handle))"
            rows +=
                "<tr id=\"\(described)\"><td>\(time(session.createdAt))\(marker)</td><td>\(time(session.lastSeenAt))</td>"
                + "<td>\(e(session.providerDisplayName))</td><td>\(e(session.clientAddress ?? "unknown"))</td>"
                + "<td><form method=\"post\" action=\"\(e(session.signOutAction))\"><button type=\"submit\" "
                + "aria-describedby=\"\(described)\">\(label)</button></form></td></tr>\n"
        }
        let others =
            view.sessions.count > 1
            ? "<form method=\"post\" action=\"\(e(view.signOutOthersAction))\"><button type=\"submit\">Sign out everywhere else</button></form>\n"
            : "<p class=\"note\">This is your only active session.</p>\n"
        return """
            <section aria-labelledby="sessions"><h2 id="sessions">Active sessions</h2>
            <table><thead><tr><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col">Provider</th><th scope="col">Client address</th><th scope="col">Action</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            \(others)</section>
            """
    }

    /// `<time datetime="2026-12-02T00:24:18Z">2026-12-02 00:24 UTC</time>`.
    static func time(_ seconds: Int64) -> String {
        var stamp = LogTimestamp()
        let quoted = String(decoding: stamp.at(seconds: Int(seconds), millis: 0), as: UTF8.self)
        let iso = String(quoted.dropFirst().dropLast().dropLast(5)) + "Z"  // "…T00:24:18.000Z" → "…T00:24:18Z"
        let shown = String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
        return "<time datetime=\"\(iso)\">\(shown)</time>"
    }
}
