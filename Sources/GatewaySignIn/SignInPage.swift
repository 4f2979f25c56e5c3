// The sign-in page: one button per provider, in config order, and any flash message.
import GatewayAuth
import GatewayProxy

enum SignInPage {
    /// Messages a redirect may ask for by code; never free text from the URL.
    static func flashMessage(_ code: String?) -> String? {
        switch code {
        case "denied": "You denied the request to sign in."
        case "failed": "Signing in did not work. Please try again."
        case "expired": "That sign-in attempt expired. Please try again."
        case "signed_out": "You are signed out."
        case "link_conflict": "That account is already linked to another user, so it was not linked."
        default: nil
        }
    }

    static func html(providers: [SignInProvider], prefix: String, next: String, flash: String?) -> String {
        var buttons = ""
        for provider in providers {
            let href = prefix + "/" + provider.name + "?next=" + HTTPText.encode(next)
            buttons += "<li><a class=\"button\" href=\"\(HTMLText.escape(href))\">Sign in with \(HTMLText.escape(provider.displayName))</a></li>\n"
        }
        let message = flash.map { "<p class=\"flash\" role=\"alert\">\(HTMLText.escape($0))</p>\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}
            h1{font-size:1.5rem} ul{list-style:none;padding:0} li{margin:.6rem 0}
            .button{display:block;padding:.7rem 1rem;border:1px solid #888;border-radius:6px;text-decoration:none;color:#111;background:#f6f6f6}
            .button:hover{background:#eaeaea} .flash{padding:.6rem 1rem;background:#fff4d6;border:1px solid #e0c060;border-radius:6px}
            </style></head>
            <body><h1>Sign in</h1>
            \(message)<ul>
            \(buttons)</ul></body></html>

            """
    }
}
