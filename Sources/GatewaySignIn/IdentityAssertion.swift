// `X-Auth-Assertion`: a short-lived ES256 JWT that says who the user is, signed by the gateway,
// so an app can verify the identity instead of trusting a header (as Pomerium's assertion).
import GatewayAuth
import GatewayConfig
import GatewayJSON
import GatewaySessions

/// One loop's signer: the key (shared by every loop) and a cache of signed assertions.
///
/// Thread-safety: `@unchecked Sendable`; one per loop, used only on that loop's queue.
public final class IdentityAssertion: @unchecked Sendable {
    /// How long an assertion is valid.
    public static let lifetime: Int64 = 60
    /// How long a signed one is reused for the same session: half its lifetime, so an app
    /// always receives one with at least 30 s to go.
    public static let reuse: Int64 = 30
    public static let headerName = "X-Auth-Assertion"
    static let cacheLimit = 10_000

    public let key: ES256SigningKey
    /// `iss` and `aud`: the gateway's public URL.
    public let audience: String
    /// `identity_assertion` at the top level; a location's own setting wins.
    public let enabledByDefault: Bool

    private struct Entry {
        var fingerprint: Fingerprint
        var header: [UInt8]
        var reuseUntil: Int64
    }

    /// What the assertion says: a session whose identity changed is signed again.
    private struct Fingerprint: Equatable {
        var subject: String
        var email: String?
        var identities: [String]
        var groups: [String]
    }

    private var cache: [String: Entry] = [:]
    /// Signatures made so far, for tests and metrics.
    public private(set) var signatures = 0

    public init(key: ES256SigningKey, audience: String, enabledByDefault: Bool) {
        self.key = key
        self.audience = audience
        self.enabledByDefault = enabledByDefault
    }

    /// `X-Auth-Assertion: <jwt>\r\n` for `record`, from the cache when one signed for
    /// `cacheKey` (the session) still has more than half its lifetime and says the same.
    func header(for record: SessionRecord, cacheKey: String, now: Int64) -> [UInt8] {
        let fingerprint = Fingerprint(
            subject: Self.subject(of: record), email: record.verifiedEmail, identities: record.identities,
            groups: Self.groups(of: record))
        if let hit = cache[cacheKey], hit.reuseUntil > now, hit.fingerprint == fingerprint { return hit.header }
        guard let token = sign(fingerprint, now: now) else { return [] }
        let header = Array((Self.headerName + ": " + token + "\r\n").utf8)
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[cacheKey] = Entry(fingerprint: fingerprint, header: header, reuseUntil: now + Self.reuse)
        return header
    }

    private func sign(_ f: Fingerprint, now: Int64) -> String? {
        var w = JSONWriter()
        w.beginObject()
        w.field("iss", audience)
        w.field("aud", audience)
        w.field("sub", f.subject)
        w.field("iat", now)
        w.field("exp", now + Self.lifetime)
        if let email = f.email { w.field("email", email) }
        w.field("identities", f.identities)
        if !f.groups.isEmpty { w.field("groups", f.groups) }
        w.endObject()
        signatures += 1
        return key.sign(payload: w.bytes)
    }

    /// The user id; for a bearer identity linked to no user, `provider:subject` (`bearer:subject`
    /// when the issuer is no provider's): with its `:` it is never a user id (`u_` + base64url).
    static func subject(of record: SessionRecord) -> String {
        if !record.userID.isEmpty { return record.userID }
        return (record.provider.isEmpty ? "bearer" : record.provider) + ":" + record.subject
    }

    /// The session's groups (the provider's groups claim): the one place they join the
    /// assertion and its fingerprint.
    static func groups(of record: SessionRecord) -> [String] { record.groups }
}

extension SignInContext {
    /// The assertion line for a location that wants one, else nothing.
    func assertionHeader(for record: SessionRecord, cacheKey: String, location: LocationConfig) -> [UInt8] {
        guard let assertion, location.identityAssertion ?? assertion.enabledByDefault else { return [] }
        return assertion.header(for: record, cacheKey: cacheKey, now: now())
    }
}
