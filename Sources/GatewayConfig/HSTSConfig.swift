// `hsts max_age=SECONDS [include_subdomains];`: the Strict-Transport-Security policy.

/// What responses carry in `Strict-Transport-Security`. Present only when `public_url` is https
/// and `hsts` is not `off` (browsers ignore the field over plain http).
public struct HSTSConfig: Sendable, Hashable {
    /// `max_age=SECONDS`. Default one year (`ConfigDefaults.hstsMaxAge`); 0 tells browsers to forget.
    public var maxAge: Int
    /// `include_subdomains`: the policy covers every subdomain of the host too. Default off.
    public var includeSubdomains: Bool

    public init(maxAge: Int = ConfigDefaults.hstsMaxAge, includeSubdomains: Bool = false) {
        self.maxAge = maxAge
        self.includeSubdomains = includeSubdomains
    }

    /// The field value: `max-age=31536000` or `max-age=31536000; includeSubDomains`.
    public var headerValue: String {
        "max-age=\(maxAge)" + (includeSubdomains ? "; includeSubDomains" : "")
    }
}
