// The identity header block added upstream for a signed-in user.
import GatewayAuth
import GatewayConfig
import GatewaySessions

enum IdentityHeaders {
    /// `Name: value\r\n` lines under the location's header names. Values lose control bytes, so a
    /// claim can never add a header line of its own. `includeEmpty` writes a line for every
    /// field (`Name: `), for `/auth/verify`: the proxy in front then overwrites client copies.
    /// `tokens`: the provider's, for a `pass_access_token` location; the header preset also
    /// sends the access token under its own name (`X-Forwarded-Access-Token`).
    static func block(
        for session: SessionRecord, location: LocationConfig, includeEmpty: Bool = false, tokens: ProviderTokens? = nil
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func line(_ name: String, _ value: String?) {
            let value = value ?? ""
            guard includeEmpty || !value.isEmpty else { return }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            for b in value.utf8 where b >= 0x20 && b != 0x7F { out.append(b) }
            out.append(contentsOf: "\r\n".utf8)
        }
        func add(_ field: IdentityField, _ value: String?) { line(location.headerName(for: field), value) }
        // An unverified email is nobody's proof of anything: it is never sent as the email,
        // nor as the display login; the upstream learns only that there was one.
        let email = session.verifiedEmail
        add(.userID, session.userID)
        add(.user, session.login ?? email ?? session.subject)
        add(.email, email)
        add(.emailVerified, session.email == nil ? nil : (session.emailVerified ? "true" : "false"))
        add(.name, session.name)
        add(.provider, session.provider)
        add(.identities, session.identities.map(listItem).joined(separator: ","))
        // `includeEmpty` on a location that sends them: the proxy in front overwrites client copies.
        if tokens != nil || (includeEmpty && location.passAccessToken) {
            line(LocationConfig.accessTokenHeader, tokens?.accessToken ?? "")
            line(LocationConfig.accessTokenSecretHeader, tokens?.tokenSecret)
        }
        let preset = location.headerPreset
        if let name = preset.preferredUsernameHeader { line(name, session.login) }
        if let name = preset.groupsHeader { line(name, session.groups.map(groupItem).joined(separator: ",")) }
        if let name = preset.accessTokenHeader, tokens != nil || includeEmpty { line(name, tokens?.accessToken) }
        return out
    }

    /// `provider:subject` with `%`, `,` and `:` percent-encoded in each part, so that a subject
    /// holding them cannot forge another entry of `X-Auth-Identities`.
    static func listItem(_ identity: String) -> String {
        // The common case, on every request: one `:` and nothing to encode, so no new string.
        var colons = 0
        for b in identity.utf8 where b == 0x3A || b == 0x25 || b == 0x2C {
            colons += b == 0x3A ? 1 : 2
        }
        if colons == 1 { return identity }
        // Providers never hold ':', so the first one separates them (see IdentityClaims).
        guard let colon = identity.firstIndex(of: ":") else { return encode(identity) }
        return encode(String(identity[..<colon])) + ":" + encode(String(identity[identity.index(after: colon)...]))
    }

    /// A group with `%` and `,` percent-encoded, so one group cannot read as two.
    static func groupItem(_ group: String) -> String {
        guard group.utf8.contains(where: { $0 == 0x25 || $0 == 0x2C }) else { return group }
        var out = ""
        for scalar in group.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func encode(_ part: String) -> String {
        guard part.utf8.contains(where: { $0 == 0x25 || $0 == 0x2C || $0 == 0x3A }) else { return part }
        var out = ""
        for scalar in part.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case ",": out += "%2C"
            case ":": out += "%3A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
