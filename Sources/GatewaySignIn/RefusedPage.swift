// The 403 a signed-in user gets where the location's rules refuse them: who they are signed in
// as, sign-out, and sign-in with another account (HTML), or the same facts as JSON.
import GatewayAuth
import GatewayHTTP
import GatewayJSON
import GatewayProxy
import GatewaySessions

enum RefusedPage {
    static let detail = "Your account may not open this page."

    /// `next`: the refused path, where signing in with another account comes back to.
    /// `providerName`: the button text of the session's provider.
    static func response(
        for head: HTTPRequestHead, session: SessionRecord, providerName: String, prefix: String, next: String
    ) -> LocalResponse {
        let signOut = prefix + "/sign_out"
        let signIn = prefix + "/sign_in?next=" + HTTPText.encode(next)
        // Sign out first, then the sign-in page: otherwise the provider's own session could
        // pick the same account again without asking.
        let another = signOut + "?next=" + HTTPText.encode(signIn)
        if LocalResponse.prefersJSON(head) {
            var w = JSONWriter()
            w.beginObject()
            w.field("status", Int64(403))
            w.field("error", "Forbidden")
            w.field("detail", detail)
            w.key("signed_in_as")
            w.beginObject()
            w.field("user_id", session.userID)
            w.field("login", displayLogin(session))
            if let email = session.verifiedEmail { w.field("email", email) }
            w.field("provider", session.provider)
            w.endObject()
            w.field("sign_out", signOut)
            w.field("sign_in", signIn)
            w.endObject()
            return LocalResponse.json(403, w.text + "\n")
        }
        let who = HTMLText.escape(displayLogin(session))
        let email = session.verifiedEmail.flatMap { $0 == displayLogin(session) ? nil : $0 }
        let emailText = email.map { " (" + HTMLText.escape($0) + ")" } ?? ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Access denied</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem;color:#222}
            h1{font-size:1.5rem} form{display:inline-block;margin:.4rem .6rem .4rem 0}
            button{font:inherit;padding:.6rem 1rem;border:1px solid #666;border-radius:6px;background:#f6f6f6;color:#111;cursor:pointer}
            button:hover,button:focus{background:#e6e6e6}
            </style></head>
            <body><main><h1>Access denied</h1>
            <p>\(HTMLText.escape(detail))</p>
            <p>You are signed in as <strong class="who">\(who)</strong>\(emailText) with \(HTMLText.escape(providerName)).</p>
            <form method="post" action="\(HTMLText.escape(another))"><button type="submit">Sign in with another account</button></form>
            <form method="post" action="\(HTMLText.escape(signOut))"><button type="submit">Sign out</button></form>
            </main></body></html>

            """
        return .page(403, html)
    }

    /// The same name `X-Auth-User` carries.
    static func displayLogin(_ session: SessionRecord) -> String {
        session.login ?? session.verifiedEmail ?? session.subject
    }
}
