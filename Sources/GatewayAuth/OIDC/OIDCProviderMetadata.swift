// The parts of an OpenID Provider Configuration document (Discovery §3) the gateway uses.

public struct OIDCProviderMetadata: Sendable, Hashable {
    public var issuer: String
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    public var userinfoEndpoint: String?
    public var jwksURI: String
    /// `code_challenge_methods_supported`, when published.
    public var codeChallengeMethods: [String]?
    /// `end_session_endpoint` (RP-Initiated Logout 1.0), when published as an http(s) URL.
    public var endSessionEndpoint: String?

    public init(
        issuer: String, authorizationEndpoint: String, tokenEndpoint: String, userinfoEndpoint: String?,
        jwksURI: String, codeChallengeMethods: [String]? = nil, endSessionEndpoint: String? = nil
    ) {
        self.endSessionEndpoint = endSessionEndpoint
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.userinfoEndpoint = userinfoEndpoint
        self.jwksURI = jwksURI
        self.codeChallengeMethods = codeChallengeMethods
    }

    /// Where the document of `issuer` lives: `{issuer}/.well-known/openid-configuration`.
    public static func configurationURL(issuer: String) -> String {
        var base = Substring(issuer)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/.well-known/openid-configuration"
    }

    /// Parses and checks a document fetched for `expectedIssuer`. The failure is a fixed
    /// phrase for logs.
    public static func parse(_ body: [UInt8], expectedIssuer: String) -> Result<OIDCProviderMetadata, ParseError> {
        parse(body, policy: .exact(expectedIssuer))
    }

    /// Parses and checks a document fetched for `policy`, whose rule its `issuer` must meet.
    public static func parse(_ body: [UInt8], policy: OIDCIssuerPolicy) -> Result<OIDCProviderMetadata, ParseError> {
        guard let document = JSONValue.parse(body), case .object = document else {
            return .failure(ParseError("the document is not a JSON object"))
        }
        guard let issuer = document["issuer"]?.stringValue else {
            return .failure(ParseError("\"issuer\" is missing"))
        }
        // Discovery §4.3: a document for another issuer would let that issuer mint our tokens.
        if let problem = policy.discoveryProblem(advertised: issuer) {
            return .failure(ParseError(problem))
        }
        var endpoints: [String: String] = [:]
        for name in ["authorization_endpoint", "token_endpoint", "jwks_uri"] {
            guard let url = document[name]?.stringValue, isHTTPURL(url) else {
                return .failure(ParseError("\"\(name)\" is missing or not an http(s) URL"))
            }
            endpoints[name] = url
        }
        var userinfo: String?
        if let value = document["userinfo_endpoint"] {
            guard let url = value.stringValue, isHTTPURL(url) else {
                return .failure(ParseError("\"userinfo_endpoint\" is not an http(s) URL"))
            }
            userinfo = url
        }
        let methods = document["code_challenge_methods_supported"]?.arrayValue?.compactMap(\.stringValue)
        // Optional and only used for logout: an unusable one means "none", not a failed discovery.
        let endSession = document["end_session_endpoint"]?.stringValue.flatMap { isHTTPURL($0) ? $0 : nil }
        return .success(
            OIDCProviderMetadata(
                issuer: issuer, authorizationEndpoint: endpoints["authorization_endpoint"]!,
                tokenEndpoint: endpoints["token_endpoint"]!, userinfoEndpoint: userinfo,
                jwksURI: endpoints["jwks_uri"]!, codeChallengeMethods: methods, endSessionEndpoint: endSession))
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private static func isHTTPURL(_ url: String) -> Bool {
        (url.hasPrefix("https://") || url.hasPrefix("http://")) && !url.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }
}
