// The loop's identity-block cache: a hit is only ever the block an equal record would build.
import GatewayConfig
import GatewaySessions
import XCTest

@testable import GatewaySignIn

final class IdentityBlockCacheTests: XCTestCase {
    private let location = LocationConfig(
        prefix: "/", auth: .required, allow: [], proxyPass: "app", identityHeaders: [:],
        location: SourceLocation(file: "-", line: 0, column: 0))

    private func record(user: String = "u_1", identities: [String] = ["mock:1"]) -> SessionRecord {
        var r = SessionRecord(
            userID: user, provider: "mock", subject: "1", email: "alice@example.com", identities: identities,
            createdAt: 0, expiresAt: 100, lastSeenAt: 0)
        r.emailVerified = true
        return r
    }

    private func text(_ block: [UInt8]) -> String { String(decoding: block, as: UTF8.self) }

    func testTheSameSessionAndRecordReuseTheBlock() {
        let cache = IdentityBlockCache()
        let r = record()
        let first = cache.block(for: r, session: "s1", location: location)
        let second = cache.block(for: r, session: "s1", location: location)
        XCTAssertEqual(first, IdentityHeaders.block(for: r, location: location))
        XCTAssertEqual(second, first)
        XCTAssertEqual(cache.builds, 1, "the second request reused the block")
    }

    /// An equal record from other storage (read back from the store) is a hit, and the entry
    /// keeps it, so that the next request compares storage, not fields.
    func testAnEqualRecordInOtherStorageIsAHitAndBecomesTheOneKept() {
        let cache = IdentityBlockCache()
        let first = record()
        let reread = record()  // equal fields, storage of its own
        XCTAssertFalse(first.sharesStorage(with: reread))
        _ = cache.block(for: first, session: "s1", location: location)
        XCTAssertEqual(cache.block(for: reread, session: "s1", location: location), IdentityHeaders.block(for: first, location: location))
        XCTAssertEqual(cache.builds, 1)
        XCTAssertEqual(cache.record(for: "s1")?.sharesStorage(with: reread), true)
    }

    func testAChangedRecordIsBuiltAgainAndNeverServedTheOldBlock() {
        let cache = IdentityBlockCache()
        _ = cache.block(for: record(), session: "s1", location: location)
        // A new identity linked on another instance reaches this loop as a changed record.
        let linked = record(identities: ["mock:1", "github:7"])
        let block = text(cache.block(for: linked, session: "s1", location: location))
        XCTAssertTrue(block.contains("X-Auth-Identities: mock:1,github:7\r\n"), block)
        // Another user's record under a reused key gets that user's block, not the cached one.
        let other = text(cache.block(for: record(user: "u_2"), session: "s1", location: location))
        XCTAssertTrue(other.contains("X-Auth-User-Id: u_2\r\n"), other)
        XCTAssertFalse(other.contains("u_1"), other)
        XCTAssertEqual(cache.builds, 3)
    }

    func testALocationWithOtherHeaderNamesGetsItsOwnBlock() {
        let cache = IdentityBlockCache()
        let r = record()
        _ = cache.block(for: r, session: "s1", location: location)
        var renamed = location
        renamed.identityHeaders = [.email: "X-Mail"]
        let block = text(cache.block(for: r, session: "s1", location: renamed))
        XCTAssertTrue(block.contains("X-Mail: alice@example.com\r\n"), block)
        XCTAssertFalse(block.contains("X-Auth-Email:"), block)
        var preset = location
        preset.headerPreset = .oauth2Proxy
        let forwarded = text(cache.block(for: r, session: "s1", location: preset))
        XCTAssertEqual(forwarded, text(IdentityHeaders.block(for: r, location: preset)))
        XCTAssertEqual(cache.builds, 3)
    }

    func testTheCacheStartsAgainAtItsLimit() {
        let cache = IdentityBlockCache()
        let r = record()
        for i in 0..<IdentityBlockCache.limit { _ = cache.block(for: r, session: "s\(i)", location: location) }
        XCTAssertEqual(cache.count, IdentityBlockCache.limit)
        _ = cache.block(for: r, session: "one more", location: location)
        XCTAssertEqual(cache.count, 1)
    }
}
