// What a client may not send upstream, compiled once from the whole config: identity header
// names of every location, the gateway's cookies, and the forwarded-header family.
import GatewayConfig
import GatewayHTTP

struct ForwardingPolicy: Sendable {
    /// Every identity header name configured anywhere (defaults and every `identity_header`)
    /// and the path-override fields, normalised: one global set, because a header stripped on one location but not another
    /// lets a client inject on the other.
    let identityNames: HeaderNameSet
    /// `underscores_in_headers on`: fields with `_` in the name are forwarded.
    let underscoresInHeaders: Bool
    /// Removes the session and sign-in state cookies from Cookie fields.
    let cookieFilter: CookieFilter

    init(
        identityHeaderNames: [String], underscoresInHeaders: Bool, gatewayCookies: [String],
        gatewayCookiePrefixes: [String] = []
    ) {
        identityNames = HeaderNameSet(identityHeaderNames)
        self.underscoresInHeaders = underscoresInHeaders
        cookieFilter = CookieFilter(names: gatewayCookies, prefixes: gatewayCookiePrefixes)
    }

    init(config: GatewayConfiguration) {
        var names = IdentityField.allCases.map(\.defaultHeader)
        // The signed identity assertion (`identity_assertion on`): only the gateway writes it.
        names.append("X-Auth-Assertion")
        // Not identities, but no client may send them either: IIS, Symfony and Zend route by
        // X-Original-URL / X-Rewrite-URL, which would reach a path no location matched.
        names += ["X-Original-URL", "X-Rewrite-URL"]
        // The gateway writes these itself (RequestTrace), from a trusted proxy's or its own.
        names += ["X-Request-Id", "traceparent", "tracestate"]
        // The provider's tokens (`pass_access_token`): a client must never pass its own.
        names += [LocationConfig.accessTokenHeader, LocationConfig.accessTokenSecretHeader]
        for location in config.locations {
            names.append(contentsOf: location.identityHeaders.values)
            // A preset's names, as soon as one location sends them (X-Forwarded-User, ...).
            names.append(contentsOf: location.headerPreset.headerNames)
        }
        let cookie = config.session.cookieName
        self.init(
            identityHeaderNames: names, underscoresInHeaders: config.underscoresInHeaders,
            gatewayCookies: [cookie, cookie + "_state"], gatewayCookiePrefixes: [cookie + "_state_"])
    }

    /// The fields that say who and where the client is; believed only from trusted proxies.
    enum ForwardedField {
        case forwardedFor, forwardedProto, forwardedHost, forwarded, realIP
        /// Any other `X-Forwarded-*` (Port, Prefix, Server, Ssl...): apps build URLs from them.
        case otherForwarded
    }

    private static let xForwarded = Array("x-forwarded-".utf8)
    private static let forwardedNames: [(ForwardedField, [UInt8])] = [
        (.forwardedFor, Array("x-forwarded-for".utf8)), (.forwardedProto, Array("x-forwarded-proto".utf8)),
        (.forwardedHost, Array("x-forwarded-host".utf8)), (.forwarded, Array("forwarded".utf8)),
        (.realIP, Array("x-real-ip".utf8)),
    ]

    /// Which forwarded field `name` spells, and whether it is the real name rather than an
    /// alias (`X_Real_IP`, `X.Forwarded.For`) that only some upstreams read as one.
    static func forwardedField(_ name: ArraySlice<UInt8>) -> (field: ForwardedField, exact: Bool)? {
        let n = name.count
        // Most fields fail on their length or first byte without more compared.
        guard n == 9 || n > Self.xForwarded.count, let first = name.first, first | 0x20 == 0x78 || first | 0x20 == 0x66
        else { return nil }
        let exact = !name.contains(0x5F) && !name.contains(0x2E)
        for (field, normalized) in forwardedNames where HeaderName.normalizedEquals(name, normalized) {
            return (field, exact)
        }
        if n > Self.xForwarded.count && HeaderName.normalizedEquals(name.prefix(Self.xForwarded.count), Self.xForwarded)
        {
            return (.otherForwarded, exact)
        }
        return nil
    }
}
