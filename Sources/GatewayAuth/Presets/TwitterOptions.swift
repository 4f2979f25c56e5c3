// URL helpers shared by the OAuth 1.0a and 2.0 variants of `provider twitter`.

enum TwitterOptions {
    /// `api_url` without a trailing slash, so documented paths can be appended.
    static func apiBase(_ apiURL: String) -> String {
        var base = apiURL
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// `base?query` or `base&query` when `base` already has a query.
    static func appendingQuery(_ base: String, _ pairs: [(String, String)]) -> String {
        base + (base.contains("?") ? "&" : "?") + OIDCURLEncoding.query(pairs)
    }
}
