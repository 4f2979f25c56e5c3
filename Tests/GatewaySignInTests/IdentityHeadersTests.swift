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
