// The client address is the first untrusted hop from the right, never what an untrusted peer claims.

import GatewayConfig
import GatewayHTTP
import GatewayTestSupport
import XCTest

@testable import GatewayProxy

final class ClientAddressResolverTests: XCTestCase {
    private let trusted = ["10.0.0.0/8", "2001:db8::/32"].compactMap(TrustedNetwork.init)

    private func resolve(_ forwardedFor: [String], peerTrusted: Bool = true) -> String {
        ClientAddressResolver.resolve(
            peer: "10.1.1.1", peerTrusted: peerTrusted, forwardedFor: forwardedFor.map { bytes($0)[...] },
            trusted: trusted)
    }

    func testUntrustedPeerIsTheClientWhateverItClaims() {
        XCTAssertEqual(resolve(["203.0.113.7"], peerTrusted: false), "10.1.1.1")
    }

    func testTrustedPeerWithoutForwardedForIsTheClient() {
        XCTAssertEqual(resolve([]), "10.1.1.1")
        XCTAssertEqual(resolve([" , "]), "10.1.1.1")
    }

    func testFirstUntrustedHopFromTheRightWins() {
        XCTAssertEqual(
            resolve(["198.51.100.1, 203.0.113.7, 10.0.0.2"]), "203.0.113.7", "the spoofed leftmost is ignored")
        XCTAssertEqual(resolve(["198.51.100.1", "203.0.113.7,10.0.0.2 , 10.0.0.3"]), "203.0.113.7")
        XCTAssertEqual(resolve(["garbage, 10.0.0.2"]), "garbage", "what no trusted proxy wrote is the client's word")
    }

    func testAllTrustedGivesTheLeftmost() {
        XCTAssertEqual(resolve(["10.0.0.5, 10.0.0.2"]), "10.0.0.5")
    }

    func testPortsAndBracketsAreNotPartOfTheAddress() {
        XCTAssertEqual(resolve(["203.0.113.7:5555, 10.0.0.2:80"]), "203.0.113.7:5555")
        XCTAssertEqual(resolve(["203.0.113.7, [2001:db8::5]:443"]), "203.0.113.7")
        XCTAssertEqual(ClientAddressResolver.address(of: "[2001:db8::5]:443"), "2001:db8::5")
        XCTAssertEqual(ClientAddressResolver.address(of: "2001:db8::5"), "2001:db8::5")
        XCTAssertEqual(ClientAddressResolver.address(of: "192.0.2.1:80"), "192.0.2.1")
    }

    func testHeadersAreReadOnlyFromTrustedPeers() throws {
        let head = try XCTUnwrap(parsedHead("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n"))
        XCTAssertEqual(
            ClientAddressResolver.resolve(peer: "10.1.1.1", peerTrusted: true, headers: head.headers, trusted: trusted),
            "203.0.113.7")
        XCTAssertEqual(
            ClientAddressResolver.resolve(
                peer: "192.0.2.1", peerTrusted: false, headers: head.headers, trusted: trusted),
            "192.0.2.1")
    }
}
