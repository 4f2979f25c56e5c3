// Reading and checking a `provider twitter` block's options, shared by its OAuth 1.0a and 2.0 variants.
import GatewayConfig

enum TwitterOptions {
    /// The API base under which the documented paths are called.
    static let defaultAPIURL = "https://api.twitter.com"

    /// The option's value, or `fallback` when it is absent or empty.
    static func url(_ config: ProviderConfig, _ key: String, default fallback: String) -> String {
        let value = config.options[key] ?? ""
        return value.isEmpty ? fallback : value
    }

    /// `api_url` without a trailing slash, so documented paths can be appended.
    static func apiBase(_ config: ProviderConfig) -> String {
        var base = url(config, "api_url", default: defaultAPIURL)
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// One message per missing required option or endpoint override that is not an absolute
    /// http(s) URL (these are the only URLs the gateway calls or sends browsers to).
    static func problems(in config: ProviderConfig, required: [String], urls: [String]) -> [String] {
        var problems: [String] = []
        for key in required where (config.options[key] ?? "").isEmpty {
            problems.append("\"\(key)\" is required")
        }
        for key in urls {
            guard let value = config.options[key], !value.isEmpty else { continue }
            if OAuth1URLParts(value) == nil || value.contains(where: { $0 == " " || $0 == "#" }) {
                problems.append("\"\(key)\" must be an absolute http or https URL")
            }
        }
        return problems
    }

    /// `base?query` or `base&query` when `base` already has a query.
    static func appendingQuery(_ base: String, _ pairs: [(String, String)]) -> String {
        base + (base.contains("?") ? "&" : "?") + OIDCURLEncoding.query(pairs)
    }
}
