// Locations match the canonical, parameter-free path, so no spelling picks a weaker location.

import GatewayConfig
import GatewayHTTP
import XCTest

@testable import GatewayProxy

final class RouterTests: XCTestCase {
    private func prefix(for path: String) throws -> String? {
        let router = Router(config: try testConfiguration())
        let target = try XCTUnwrap(canonicalTarget(bytes(path)), path)
        return router.match(target.matchPath).map { text($0.prefix) }
    }

    func testSemicolonParametersDoNotMoveARequestToAnotherLocation() throws {
        XCTAssertEqual(try prefix(for: "/admin;x/"), "/admin/")
        XCTAssertEqual(try prefix(for: "/admin;x"), "/admin")
        XCTAssertEqual(try prefix(for: "/admin%3Bx/page"), "/admin/")
        XCTAssertEqual(try prefix(for: "/;x/admin/"), "/admin/")
        XCTAssertEqual(try prefix(for: "/public;x/admin/"), "/public/")
    }

    func testEncodedUnreservedBytesAndRepeatedSlashesDoNotDodgeALocation() throws {
        XCTAssertEqual(try prefix(for: "/adm%69n/"), "/admin/")
        XCTAssertEqual(try prefix(for: "//admin//x"), "/admin/")
        XCTAssertEqual(try prefix(for: "/%61dmin"), "/admin")
        XCTAssertEqual(try prefix(for: "/public/x"), "/public/")
        XCTAssertEqual(try prefix(for: "/other"), "/")
    }
}

final class RouterPrefixTests: XCTestCase {
    func testLocationPrefixesAreCanonicalLikeRequestPaths() throws {
        XCTAssertEqual(text(Router.canonicalPrefix("/café/")), "/caf%C3%A9/")
        XCTAssertEqual(text(Router.canonicalPrefix("/adm%69n/")), "/admin/")
        XCTAssertEqual(text(Router.canonicalPrefix("//a//")), "/a/")
        XCTAssertEqual(text(Router.canonicalPrefix("/")), "/")
        let config = try ConfigLoader.load(
            text: """
                listen 127.0.0.1:8080;
                upstream app { server 127.0.0.1:3000; }
                location /café/ { auth off; proxy_pass app; }
                location / { auth off; proxy_pass app; }
                """, file: "test.conf")
        let target = try XCTUnwrap(canonicalTarget(bytes("/caf%c3%a9/menu")))
        XCTAssertEqual(Router(config: config).match(target.matchPath).map { text($0.prefix) }, "/caf%C3%A9/")
    }
}

final class HealthEndpointsTests: XCTestCase {
    func testReadinessDetailsGoToLoopbackPeersOnly() {
        XCTAssertTrue(HealthEndpoints.isLoopback([127, 0, 0, 1]))
        XCTAssertTrue(HealthEndpoints.isLoopback([127, 9, 9, 9]))
        XCTAssertTrue(HealthEndpoints.isLoopback(Array(repeating: 0, count: 15) + [1]))
        XCTAssertTrue(HealthEndpoints.isLoopback(Array(repeating: 0, count: 10) + [0xFF, 0xFF, 127, 0, 0, 1]))
        XCTAssertFalse(HealthEndpoints.isLoopback([10, 0, 0, 1]))
        XCTAssertFalse(HealthEndpoints.isLoopback(Array(repeating: 0, count: 16)))
        XCTAssertFalse(HealthEndpoints.isLoopback(Array(repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 1]))
    }
}
