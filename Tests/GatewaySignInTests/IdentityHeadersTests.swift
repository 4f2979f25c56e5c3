// What upstreams are told: only a verified email, its status, and identities that cannot be forged.
import GatewayAuth
import GatewayConfig
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class IdentityHeadersTests: XCTestCase {
    private let location = LocationConfig(
        prefix: "/", auth: .required, allow: [], proxyPass: "app", identityHeaders: [:],
        location: SourceLocation(file: "-", line: 0, column: 0))

    private func session(email: String?, verified: Bool, identities: [String] = ["mock:1"]) -> SessionRecord {
        var record = SessionRecord(
            userID: "u_1", provider: "mock", subject: "1", email: email, identities: identities, createdAt: 0,
            expiresAt: 10, lastSeenAt: 0)
        record.emailVerified = verified
        return record
    }

    private func lines(_ record: SessionRecord, _ location: LocationConfig? = nil) -> [String] {
        String(decoding: IdentityHeaders.block(for: record, location: location ?? self.location), as: UTF8.self)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func testVerifiedEmailIsSentWithItsStatus() {
        let sent = lines(session(email: "alice@example.com", verified: true))
        XCTAssertTrue(sent.contains("X-Auth-Email: alice@example.com"), "\(sent)")
        XCTAssertTrue(sent.contains("X-Auth-Email-Verified: true"), "\(sent)")
    }

    func testUnverifiedEmailIsNeverSentNorUsedAsTheLogin() {
        let sent = lines(session(email: "boss@example.com", verified: false))
        XCTAssertFalse(sent.contains { $0.contains("boss@example.com") }, "\(sent)")
        XCTAssertTrue(sent.contains("X-Auth-Email-Verified: false"), "\(sent)")
        XCTAssertTrue(sent.contains("X-Auth-User: 1"), "the subject stands in for the login: \(sent)")
    }

    func testNoEmailSendsNeitherHeader() {
        let sent = lines(session(email: nil, verified: false))
        XCTAssertFalse(sent.contains { $0.hasPrefix("X-Auth-Email") }, "\(sent)")
    }

    func testEmailVerifiedHeaderCanBeRenamed() {
        var renamed = location
        renamed.identityHeaders = [.emailVerified: "X-Mail-Ok"]
        XCTAssertTrue(lines(session(email: "a@x.com", verified: true), renamed).contains("X-Mail-Ok: true"))
    }

    func testSubjectWithCommaOrColonCannotForgeAnotherIdentity() {
        let sent = lines(
            session(email: nil, verified: false, identities: ["corp:a,admin:1", "corp:100%:x", "github:7"]))
        XCTAssertTrue(sent.contains("X-Auth-Identities: corp:a%2Cadmin%3A1,corp:100%25%3Ax,github:7"), "\(sent)")
        XCTAssertEqual(IdentityHeaders.listItem("github:123"), "github:123", "plain names stay readable")
    }

    func testProviderTokensAreSentOnlyWhenGivenWithControlBytesRemoved() {
        let record = session(email: nil, verified: false)
        XCTAssertFalse(lines(record).contains { $0.hasPrefix("X-Auth-Access-Token") })
        let oauth1 = ProviderTokens(accessToken: "tok\r\nX-Evil: 1", tokenSecret: "sec")
        let sent = String(decoding: IdentityHeaders.block(for: record, location: location, tokens: oauth1), as: UTF8.self)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertTrue(sent.contains("X-Auth-Access-Token: tokX-Evil: 1"), "\(sent)")
        XCTAssertTrue(sent.contains("X-Auth-Access-Token-Secret: sec"), "\(sent)")
        let oauth2 = IdentityHeaders.block(for: record, location: location, tokens: ProviderTokens(accessToken: "t"))
        XCTAssertFalse(String(decoding: oauth2, as: UTF8.self).contains("Secret"))
    }
}

final class HeaderPresetBlockTests: XCTestCase {
    private func location(_ preset: HeaderPreset, headers: [IdentityField: String] = [:]) -> LocationConfig {
        LocationConfig(
            prefix: "/", auth: .required, allow: [], proxyPass: "app", identityHeaders: headers, headerPreset: preset,
            location: SourceLocation(file: "-", line: 0, column: 0))
    }

    private func lines(_ record: SessionRecord, _ location: LocationConfig, token: String? = nil, empty: Bool = false)
        -> [String]
    {
        String(
            decoding: IdentityHeaders.block(
                for: record, location: location, includeEmpty: empty, tokens: token.map { ProviderTokens(accessToken: $0) }),
            as: UTF8.self
        ).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    private var record: SessionRecord {
        var record = SessionRecord(
            userID: "u_1", provider: "corp", subject: "1", login: "ann", email: "ann@example.com",
            identities: ["corp:1"], createdAt: 0, expiresAt: 10, lastSeenAt: 0)
        record.emailVerified = true
        record.groups = ["admins", "eng,ops", "100%"]
        return record
    }

    func testOAuth2ProxyPresetSendsItsNames() {
        let sent = lines(record, location(.oauth2Proxy))
        for expected in [
            "X-Forwarded-User: ann", "X-Forwarded-Email: ann@example.com", "X-Forwarded-Preferred-Username: ann",
            "X-Forwarded-Groups: admins,eng%2Cops,100%25", "X-Auth-User-Id: u_1",
        ] {
            XCTAssertTrue(sent.contains(expected), "\(expected) in \(sent)")
        }
        XCTAssertFalse(sent.contains { $0.hasPrefix("X-Auth-User:") || $0.hasPrefix("X-Auth-Email:") }, "\(sent)")
        XCTAssertFalse(sent.contains { $0.hasPrefix("X-Forwarded-Access-Token") }, "no token, no header")
    }

    func testPresetEmailIsVerifiedOnly() {
        var unverified = record
        unverified.emailVerified = false
        let sent = lines(unverified, location(.oauth2Proxy))
        XCTAssertFalse(sent.contains { $0.contains("ann@example.com") }, "\(sent)")
    }

    func testAccessTokenHookAndEmptyLinesForVerify() {
        XCTAssertTrue(lines(record, location(.oauth2Proxy), token: "tok").contains("X-Forwarded-Access-Token: tok"))
        // Without the preset the token goes only under the gateway's own name.
        XCTAssertEqual(lines(record, location(.standard), token: "tok").filter { $0.contains("tok") }, ["X-Auth-Access-Token: tok"])
        var bare = record
        (bare.login, bare.groups) = (nil, [])
        let empty = lines(bare, location(.oauth2Proxy), empty: true)
        for name in ["X-Forwarded-Preferred-Username", "X-Forwarded-Groups", "X-Forwarded-Access-Token"] {
            XCTAssertTrue(empty.contains(name + ": "), "\(name) in \(empty)")
        }
    }

    func testStandardPresetSendsNoExtraHeaders() {
        XCTAssertFalse(lines(record, location(.standard)).contains { $0.hasPrefix("X-Forwarded-") })
    }
}
