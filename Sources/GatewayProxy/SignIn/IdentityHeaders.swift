// The identity header block added upstream for a signed-in user.
import GatewayConfig
import GatewaySessions

enum IdentityHeaders {
    /// `Name: value\r\n` lines under the location's header names. Values lose control bytes, so a
    /// claim can never add a header line of its own. `includeEmpty` writes a line for every
    /// field (`Name: `), for `/auth/verify`: the proxy in front then overwrites client copies.
    static func block(for session: SessionRecord, location: LocationConfig, includeEmpty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func add(_ field: IdentityField, _ value: String?) {
            let value = value ?? ""
            guard includeEmpty || !value.isEmpty else { return }
            out.append(contentsOf: location.headerName(for: field).utf8)
            out.append(contentsOf: ": ".utf8)
            for b in value.utf8 where b >= 0x20 && b != 0x7F { out.append(b) }
            out.append(contentsOf: "\r\n".utf8)
        }
        add(.userID, session.userID)
        add(.user, session.login ?? session.email ?? session.subject)
        add(.email, session.email)
        add(.name, session.name)
        add(.provider, session.provider)
        add(.identities, session.identities.joined(separator: ","))
        return out
    }
}
