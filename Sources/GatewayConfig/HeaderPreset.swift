// `headers PRESET;`: the header names an app written for another gateway reads.

/// A preset renames some identity fields and adds the headers only it has. A location's own
/// `identity_header` still wins over the preset for the fields it names.
public enum HeaderPreset: String, Sendable, Hashable, CaseIterable {
    /// The gateway's own `X-Auth-*` names (`headers default;` turns a top-level preset off).
    case standard = "default"
    /// oauth2-proxy's `X-Forwarded-*` names, as its `--pass-user-headers` sends them.
    case oauth2Proxy = "oauth2-proxy"

    public static let forwardedUser = "X-Forwarded-User"
    public static let forwardedEmail = "X-Forwarded-Email"
    public static let forwardedPreferredUsername = "X-Forwarded-Preferred-Username"
    public static let forwardedGroups = "X-Forwarded-Groups"
    /// Sent only with `pass_access_token on` (built elsewhere; `IdentityHeaders` takes the value).
    public static let forwardedAccessToken = "X-Forwarded-Access-Token"

    /// The name this preset gives `field` instead of its `X-Auth-*` default; nil keeps the default.
    public func header(for field: IdentityField) -> String? {
        switch (self, field) {
        case (.oauth2Proxy, .user): Self.forwardedUser
        case (.oauth2Proxy, .email): Self.forwardedEmail
        default: nil
        }
    }

    /// The display login, under a header of its own (nil: the preset has none).
    public var preferredUsernameHeader: String? { self == .oauth2Proxy ? Self.forwardedPreferredUsername : nil }
    /// The session's groups, comma-joined (nil: the preset has none).
    public var groupsHeader: String? { self == .oauth2Proxy ? Self.forwardedGroups : nil }
    /// The provider's access token, with `pass_access_token on` (nil: the preset has none).
    public var accessTokenHeader: String? { self == .oauth2Proxy ? Self.forwardedAccessToken : nil }

    /// Every name the preset may send: each is stripped from clients, in every spelling, as soon
    /// as any location uses the preset.
    public var headerNames: [String] { IdentityField.allCases.compactMap(header(for:)) + extraHeaders }

    /// The headers only the preset has (no identity field of their own).
    public var extraHeaders: [String] { [preferredUsernameHeader, groupsHeader, accessTokenHeader].compactMap { $0 } }

    /// Whether the session's groups must be read at sign-in for this preset.
    public var sendsGroups: Bool { groupsHeader != nil }
}
