// The original request behind /auth/verify: which headers are read, from whom, and what is refused.

import GatewayConfig
import GatewayHTTP
import XCTest

@testable import GatewaySignIn

final class ForwardAuthTests: XCTestCase {
    /// The headers of `GET /auth/verify` carrying `fields`, parsed as the connection would.
    private func headers(_ fields: [(String, String)]) throws -> HTTPHeaders {
        var raw = "GET /auth/verify HTTP/1.1\r\nHost: gateway\r\n"
        for (name, value) in fields { raw += "\(name): \(value)\r\n" }
        raw += "\r\n"
        var parser = HTTPRequestParser()
        let bytes = Array(raw.utf8)
        guard case .complete(let head, _) = bytes.withUnsafeBytes({ parser.parse($0) }) else {
            throw ParseFailure(raw: raw)
        }
        return head.headers
    }

    private func original(_ fields: [(String, String)], trusted: Bool = true) throws -> ForwardAuth.Reconstruction {
        ForwardAuth.originalRequest(try headers(fields), fromTrustedPeer: trusted)
    }

    private func request(_ method: String, _ target: String, host: String? = nil) -> ForwardAuth.Reconstruction {
        .request(ForwardAuth.OriginalRequest(method: method, target: Array(target.utf8), host: host))
    }

    func testNginxOriginalURIAndMethod() throws {
        XCTAssertEqual(try original([("X-Original-URI", "/admin/x?a=1&b=%2F")]), request("GET", "/admin/x?a=1&b=%2F"))
        XCTAssertEqual(
            try original([("X-Original-URI", "/api"), ("X-Original-Method", "post")]), request("POST", "/api"))
    }

    func testTraefikAndCaddyForwardedSet() throws {
        let fields = [
            ("X-Forwarded-Method", "GET"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/a/b?q=1"),
        ]
        XCTAssertEqual(try original(fields), request("GET", "/a/b?q=1", host: "app.example.com"))
        XCTAssertEqual(try original([("X-Forwarded-Uri", "/")]), request("GET", "/"))
    }

    func testAnUntrustedPeerIsNeverBelieved() throws {
        XCTAssertEqual(try original([("X-Original-URI", "/public/")], trusted: false), .missing)
        XCTAssertEqual(try original([("X-Forwarded-Uri", "/public/")], trusted: false), .missing)
    }

    func testNoOriginalURIIsMissing() throws {
        XCTAssertEqual(try original([]), .missing)
        // A method or host alone names no request.
        XCTAssertEqual(try original([("X-Forwarded-Method", "GET"), ("X-Forwarded-Host", "a")]), .missing)
        XCTAssertTrue(ForwardAuth.missingMessage.contains("trusted_proxies"))
    }

    func testTheOtherProxysMethodIsIgnored() throws {
        XCTAssertEqual(
            try original([("X-Original-URI", "/x"), ("X-Forwarded-Method", "POST")]), request("GET", "/x"))
    }

    func testBothSetsOrRepeatedFieldsAreRefused() throws {
        // Each proxy passes the client's copy of the other's header through: refuse, never rank.
        XCTAssertIsInvalid(try original([("X-Original-URI", "/admin/"), ("X-Forwarded-Uri", "/public/")]))
        XCTAssertIsInvalid(try original([("X-Original-URI", "/admin/"), ("X-Original-URI", "/public/")]))
        XCTAssertIsInvalid(
            try original([("X-Forwarded-Uri", "/a"), ("X-Forwarded-Host", "a"), ("X-Forwarded-Host", "b")]))
        XCTAssertIsInvalid(
            try original([("X-Original-URI", "/a"), ("X-Original-Method", "GET"), ("X-Original-Method", "POST")]))
    }

    func testBadURIsAndMethods() throws {
        for uri in ["admin/", "http://evil/admin/", "*", "/a#frag", "/a b", "/caf\u{E9}"] {
            XCTAssertIsInvalid(try original([("X-Original-URI", uri)]), uri)
        }
        XCTAssertIsInvalid(try original([("X-Original-URI", "")]))
        XCTAssertIsInvalid(try original([("X-Original-URI", "/"), ("X-Original-Method", "G(T")]))
    }

    func testNextIsThePathAndQueryWhenSafe() {
        XCTAssertEqual(
            ForwardAuth.next(for: .init(method: "GET", target: Array("/app/page?x=1".utf8), host: nil)), "/app/page?x=1"
        )
        XCTAssertEqual(ForwardAuth.next(for: .init(method: "GET", target: Array("//evil.com/".utf8), host: nil)), "/")
        XCTAssertEqual(
            ForwardAuth.next(for: .init(method: "GET", target: Array("/%2F%2Fevil.com".utf8), host: nil)), "/")
    }

    func testNavigationIsGetOrHead() {
        XCTAssertTrue(ForwardAuth.OriginalRequest(method: "HEAD", target: [0x2F], host: nil).isNavigation)
        XCTAssertFalse(ForwardAuth.OriginalRequest(method: "POST", target: [0x2F], host: nil).isNavigation)
    }

    func testIdentityFieldsKeepEmptyValuesAndLocationNames() {
        let fields = ForwardAuth.fields(ofBlock: Array("X-Auth-User-Id: u_1\r\nX-Auth-Email: \r\n".utf8))
        XCTAssertEqual(fields.map(\.0), ["X-Auth-User-Id", "X-Auth-Email"])
        XCTAssertEqual(fields.map(\.1), ["u_1", ""])
        let location = LocationConfig(
            prefix: "/", auth: .off, allow: [], proxyPass: "app", identityHeaders: [.email: "X-Forwarded-Email"],
            location: SourceLocation(file: "-", line: 0, column: 0))
        let empty = ForwardAuth.emptyIdentity(location: location)
        XCTAssertEqual(empty.count, IdentityField.allCases.count)
        XCTAssertTrue(empty.contains { $0.0 == "X-Forwarded-Email" && $0.1.isEmpty })
        XCTAssertFalse(empty.contains { $0.0 == "X-Auth-Email" })
    }
}

private struct ParseFailure: Error { var raw: String }

private func XCTAssertIsInvalid(
    _ reconstruction: @autoclosure () throws -> ForwardAuth.Reconstruction, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard case .invalid = try? reconstruction() else {
        XCTFail(
            "expected .invalid, got \(String(describing: try? reconstruction())) \(message)", file: file, line: line)
        return
    }
}
