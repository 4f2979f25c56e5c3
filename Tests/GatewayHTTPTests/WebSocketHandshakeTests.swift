// Half-formed or disguised WebSocket handshakes are refused; a 101 must prove it read the key.

import GatewayHTTP
import XCTest

final class WebSocketHandshakeTests: XCTestCase {
    private let key = "dGhlIHNhbXBsZSBub25jZQ=="
    private let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private func verdict(_ lines: [String], requestLine: String = "GET /chat HTTP/1.1") -> WebSocketHandshake.Verdict? {
        let raw = ([requestLine, "Host: a"] + lines).joined(separator: "\r\n") + "\r\n\r\n"
        return parseRequest(bytes(raw)).head.map(WebSocketHandshake.check)
    }

    private func handshake(_ extra: [String] = [], without: String? = nil) -> [String] {
        let base = [
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13",
        ]
        return base.filter { without == nil || !$0.hasPrefix(without!) } + extra
    }

    private func isInvalid(_ v: WebSocketHandshake.Verdict?) -> String? {
        if case .invalid(let error) = v { return error.description }
        return nil
    }

    func testRFC6455ExampleIsValidAndKeepsTheKey() {
        XCTAssertEqual(verdict(handshake()), .valid(WebSocketHandshake(key: bytes(key))))
        XCTAssertEqual(
            verdict([
                "upgrade: WebSocket", "connection: keep-alive, upgrade", "sec-websocket-key: \(key)",
                "sec-websocket-version: 13",
            ]),
            .valid(WebSocketHandshake(key: bytes(key))))
    }

    func testAcceptInputIsTheKeyThenTheGUID() {
        XCTAssertEqual(
            WebSocketHandshake(key: bytes(key)).acceptInput, bytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
    }

    func testOtherUpgradesAreNotWebSocket() {
        XCTAssertEqual(
            verdict(["Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings", "HTTP2-Settings: AAMAAABkAAQAAP__"]),
            .notWebSocket)
        XCTAssertEqual(verdict([]), .notWebSocket)
    }

    func testRefusesAHandshakeWithoutAKeyOrWithABadOne() {
        XCTAssertEqual(
            isInvalid(verdict(handshake(without: "Sec-WebSocket-Key"))),
            "Sec-WebSocket-Key must be one base64 value of 16 bytes.")
        // 15 and 17 bytes, not base64, unpadded, and two keys.
        for bad in [
            "dGhlIHNhbXBsZSBub25j", "dGhlIHNhbXBsZSBub25jZTEy", "dGhlIHNhbXBsZSBub25jZQ!!", "dGhlIHNhbXBsZSBub25jZQ",
        ] {
            XCTAssertNotNil(
                isInvalid(verdict(handshake(["Sec-WebSocket-Key: \(bad)"], without: "Sec-WebSocket-Key"))), bad)
        }
        XCTAssertNotNil(isInvalid(verdict(handshake(["Sec-WebSocket-Key: \(key)"]))), "two keys")
    }

    func testRefusesAnyVersionButExactly13() {
        XCTAssertEqual(
            isInvalid(verdict(handshake(without: "Sec-WebSocket-Version"))), "Sec-WebSocket-Version must be 13.")
        XCTAssertNotNil(isInvalid(verdict(handshake(["Sec-WebSocket-Version: 8"], without: "Sec-WebSocket-Version"))))
        XCTAssertNotNil(isInvalid(verdict(handshake(["Sec-WebSocket-Version: 13"]))), "two versions")
    }

    func testRefusesNonGETAndHTTP10() {
        XCTAssertEqual(
            isInvalid(verdict(handshake(), requestLine: "POST /chat HTTP/1.1")),
            "A WebSocket handshake must be a GET request.")
        XCTAssertEqual(
            isInvalid(verdict(handshake(), requestLine: "GET /chat HTTP/1.0")), "A WebSocket handshake needs HTTP/1.1.")
    }

    func testRefusesWebSocketWithoutConnectionUpgradeOrBesideAnotherUpgrade() {
        XCTAssertEqual(
            isInvalid(verdict(handshake(["Connection: keep-alive"], without: "Connection"))),
            "A WebSocket handshake needs \"upgrade\" in Connection.")
        XCTAssertEqual(
            isInvalid(verdict(handshake(["Upgrade: h2c"]))), "A WebSocket handshake has exactly one Upgrade field.")
    }

    func testRefusesAHandshakeThatSmugglesABody() {
        XCTAssertEqual(isInvalid(verdict(handshake(["Content-Length: 5"]))), "A WebSocket handshake has no body.")
        XCTAssertNotNil(isInvalid(verdict(handshake(["Transfer-Encoding: chunked"]))))
        if case .valid = verdict(handshake(["Content-Length: 0"])) {} else { XCTFail("an empty body is no body") }
    }

    // MARK: The 101

    private func completes(_ lines: [String], status: String = "101 Switching Protocols") -> Bool {
        let raw = (["HTTP/1.1 \(status)"] + lines).joined(separator: "\r\n") + "\r\n\r\n"
        guard let head = parseResponse(bytes(raw)).head else { return false }
        return WebSocketHandshake.completes(head, expectedAccept: bytes(accept))
    }

    func testA101WithTheRightAcceptCompletesTheHandshake() {
        XCTAssertTrue(completes(["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: \(accept)"]))
        XCTAssertTrue(completes(["upgrade: WEBSOCKET", "connection: upgrade", "sec-websocket-accept: \(accept)"]))
    }

    func testAReflected101WithoutTheRightAcceptDoesNot() {
        XCTAssertFalse(completes(["Upgrade: websocket", "Connection: Upgrade"]), "no accept")
        XCTAssertFalse(
            completes(["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: \(key)"]),
            "the key reflected")
        XCTAssertFalse(
            completes(["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: \(accept.lowercased())"]),
            "case matters")
        XCTAssertFalse(
            completes([
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: \(accept)",
                "Sec-WebSocket-Accept: x",
            ]), "two accepts")
    }

    func testA101ToAnotherProtocolOrWithoutConnectionUpgradeDoesNot() {
        XCTAssertFalse(completes(["Upgrade: h2c", "Connection: Upgrade", "Sec-WebSocket-Accept: \(accept)"]))
        XCTAssertFalse(completes(["Upgrade: websocket", "Sec-WebSocket-Accept: \(accept)"]))
        XCTAssertFalse(
            completes(
                ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: \(accept)"], status: "200 OK"))
    }
}
