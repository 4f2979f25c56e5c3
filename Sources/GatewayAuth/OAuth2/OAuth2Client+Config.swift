// An OAuth2Client from a `provider` block, and the block's checks shared by every OAuth 2 provider.
import GatewayConfig
import Logging

extension OAuth2Client {
    /// The URL options an OAuth 2 block may set; each must be an http(s) URL.
    static let urlOptions = ["authorize_url", "token_url", "api_url", "userinfo_url"]

    /// A client for `config`: its `authorize_url` and `token_url` replace the defaults, `scopes`
    /// replaces `defaultScopes`, and `token_auth` replaces `defaultAuthentication`.
    init(
        config: ProviderConfig, authorizeURL: String, tokenURL: String, defaultScopes: String,
        defaultAuthentication: OIDCClientAuthentication, http: OutboundHTTP, logger: Logger?
    ) {
        let options = config.options
        self.init(
            providerName: config.name, authorizeURL: options["authorize_url"] ?? authorizeURL,
            tokenURL: options["token_url"] ?? tokenURL, clientID: options["client_id"] ?? "",
            clientSecret: options["client_secret"], scopes: Self.scopeList(options["scopes"] ?? defaultScopes),
            clientAuthentication: options["token_auth"].flatMap(OIDCClientAuthentication.init(rawValue:))
                ?? defaultAuthentication,
            http: http, logger: logger)
    }

    /// Every problem of an OAuth 2 block: `client_id`, `client_secret` unless `token_auth none`,
    /// a known `token_auth`, the `required` options, and http(s) URLs.
    static func problems(in config: ProviderConfig, required: [String] = []) -> [String] {
        var problems: [String] = []
        for key in ["client_id"] + required where (config.options[key] ?? "").isEmpty {
            problems.append("\"\(key)\" is required")
        }
        let auth = config.options["token_auth"]
        if let auth, OIDCClientAuthentication(rawValue: auth) == nil {
            let allowed = OIDCClientAuthentication.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append("\"token_auth\" must be one of: \(allowed)")
        }
        if auth != OIDCClientAuthentication.none.rawValue, (config.options["client_secret"] ?? "").isEmpty {
            problems.append("\"client_secret\" is required unless \"token_auth none\"")
        }
        for key in urlOptions {
            guard let value = config.options[key], !value.isEmpty else { continue }
            if !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                problems.append("\"\(key)\" must be an http:// or https:// URL")
            }
        }
        return problems
    }
}
