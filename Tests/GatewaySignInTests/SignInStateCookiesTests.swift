// The sealed sign-in state: one cookie per attempt, found only by its own state, expiring,
// capped per provider, and useless to another browser or under another secret.
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewaySignIn

final class SignInStateCookiesTests: XCTestCase {
    private let cookies = SignInStateCookies(
        secret: "0123456789abcdef0123456789abcdef", stateName: "__gateway_state", prefix: "/auth", secure: true)
    private let now: Int64 = 1_800_000_000

    private func record(_ state: String, next: String = "/app/", link: String? = nil) -> AuthStateRecord {
        AuthStateRecord(
            provider: "corp", state: state, nonce: "n-" + state, verifier: "v-" + state, next: next, linkUserID: link,
            createdAt: now)
    }

    /// The `name=value` pair a Set-Cookie line sets.
    private func pair(_ setCookie: String) -> (String, String) {
        let first = setCookie.split(separator: ";")[0]
        let eq = first.firstIndex(of: "=")!
        return (String(first[..<eq]), String(first[first.index(after: eq)...]))
    }

    private func headers(_ pairs: [(String, String)]) -> HTTPHeaders {
        requestHeaders([("Cookie", pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "; "))])
    }

    func testRecordRoundTripsThroughItsCookie() {
        let attempt = record("state-one", link: "user-7")
        let line = cookies.setCookie(for: attempt, now: now)
        XCTAssertTrue(line.contains("Path=/auth/corp; Max-Age=600; HttpOnly; SameSite=Lax; Secure"), line)
        XCTAssertTrue(pair(line).0.hasPrefix("__gateway_state_"))
        XCTAssertEqual(pair(line).0.count, "__gateway_state_".count + 8)
        XCTAssertFalse(line.contains("state-one"), "the state, nonce and verifier are sealed")
        XCTAssertEqual(cookies.lookup(key: "state-one", in: headers([pair(line)]), now: now + 10), .found(attempt))
        XCTAssertLessThan(line.utf8.count, 1024)
    }

    func testForeignOrMissingStateIsRefused() {
        let line = cookies.setCookie(for: record("state-one"), now: now)
        XCTAssertEqual(cookies.lookup(key: "state-two", in: headers([pair(line)]), now: now), .missing)
        XCTAssertEqual(cookies.lookup(key: "", in: headers([pair(line)]), now: now), .missing)
        XCTAssertEqual(cookies.lookup(key: "state-one", in: headers([]), now: now), .missing, "another browser")
        // The right cookie moved under another state's name does not open (the name is bound in).
        let moved = (cookies.name(for: "state-two"), pair(line).1)
        XCTAssertEqual(cookies.lookup(key: "state-two", in: headers([moved]), now: now), .unusable)
    }

    func testExpiredTamperedOrForeignSecretIsUnusable() {
        let line = cookies.setCookie(for: record("state-one"), now: now)
        XCTAssertEqual(cookies.lookup(key: "state-one", in: headers([pair(line)]), now: now + 601), .unusable)
        var (name, value) = pair(line)
        // A character in the middle: the last one may carry only base64 padding bits, which
        // decode to the same bytes whatever they are.
        var chars = Array(value)
        let middle = chars.count / 2
        chars[middle] = chars[middle] == "A" ? "B" : "A"
        value = String(chars)
        XCTAssertEqual(cookies.lookup(key: "state-one", in: headers([(name, value)]), now: now), .unusable)
        let other = SignInStateCookies(
            secret: "another secret, also at least 32 bytes", stateName: "__gateway_state", prefix: "/auth", secure: true)
        XCTAssertEqual(other.lookup(key: "state-one", in: headers([pair(line)]), now: now), .unusable)
    }

    func testParallelAttemptsKeepTheirOwnCookies() {
        let a = pair(cookies.setCookie(for: record("state-a", next: "/a"), now: now))
        let b = pair(cookies.setCookie(for: record("state-b", next: "/b"), now: now))
        XCTAssertNotEqual(a.0, b.0)
        let both = headers([a, b])
        XCTAssertEqual(cookies.lookup(key: "state-a", in: both, now: now), .found(record("state-a", next: "/a")))
        XCTAssertEqual(cookies.lookup(key: "state-b", in: both, now: now), .found(record("state-b", next: "/b")))
    }

    func testAStartClearsTheOldestBeyondTheLimitAndDeadOnes() {
        var held: [(String, String)] = []
        for i in 0..<SignInStateCookies.parallelLimit {
            held.append(pair(cookies.setCookie(for: record("state-\(i)"), now: now + Int64(i))))
        }
        held.append(("__gateway_state_deadbeef", "garbage"))
        held.append(("__gateway", "the-session"))
        let cleared = cookies.evictions(provider: "corp", in: headers(held), now: now + 10)
        XCTAssertEqual(cleared.map { pair($0).0 }.sorted(), [held[0].0, "__gateway_state_deadbeef"].sorted())
        XCTAssertTrue(cleared.allSatisfy { $0.contains("Path=/auth/corp; Max-Age=0") })
        XCTAssertEqual(cookies.evictions(provider: "corp", in: headers(Array(held.prefix(3))), now: now + 10), [])
    }

    func testALongNextFallsBackToRoot() {
        let long = "/" + String(repeating: "x", count: SignInStateCookies.nextLimit)
        let line = cookies.setCookie(for: record("state-one", next: long), now: now)
        guard case .found(let opened) = cookies.lookup(key: "state-one", in: headers([pair(line)]), now: now) else {
            return XCTFail("the attempt did not open")
        }
        XCTAssertEqual(opened.next, "/")
    }

    func testRecordEncodingRefusesAnythingElse() {
        let attempt = record("s", link: nil)
        XCTAssertEqual(AuthStateRecord(decoding: attempt.encoded(), createdAt: now), attempt)
        XCTAssertNil(AuthStateRecord(decoding: [], createdAt: now))
        XCTAssertNil(AuthStateRecord(decoding: Array(attempt.encoded().dropLast()), createdAt: now))
        XCTAssertNil(AuthStateRecord(decoding: attempt.encoded() + [0, 0], createdAt: now), "a seventh field")
        XCTAssertNil(AuthStateRecord(decoding: [2] + attempt.encoded().dropFirst(), createdAt: now), "another version")
    }

    func testHostPrefixedAttemptsLiveAtTheRootPath() {
        // `__Host-` cookies are accepted only with Path=/, so no subdomain can plant an attempt.
        let host = SignInStateCookies(
            secret: "0123456789abcdef0123456789abcdef", stateName: "__Host-__gateway_state", prefix: "/auth",
            secure: true)
        let line = host.setCookie(for: record("state-h"), now: now)
        XCTAssertTrue(pair(line).0.hasPrefix("__Host-__gateway_state_"), line)
        XCTAssertTrue(line.contains("Path=/; Max-Age=600;"), line)
        XCTAssertEqual(host.lookup(key: "state-h", in: headers([pair(line)]), now: now), .found(record("state-h")))
    }
}
