// PlaintextProbe on raw first bytes: a ClientHello, a plaintext request line, or not yet known.

import GatewayTLS
import XCTest

final class PlaintextProbeTests: XCTestCase {
    private func verdict(_ bytes: [UInt8]) -> PlaintextProbe.Verdict { PlaintextProbe.classify(bytes) }

    func testRecognisesAClientHelloRecord() {
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]
        XCTAssertEqual(verdict(hello), .tlsClientHello)
        XCTAssertEqual(verdict([0x16, 0x03, 0x03, 0x00, 0x10, 0x01]), .tlsClientHello)
    }

    func testNeedsMoreBytesUntilItCanTell() {
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]
        for count in 0..<hello.count {
            XCTAssertEqual(verdict(Array(hello[..<count])), .needMore, "\(count) bytes")
        }
        XCTAssertEqual(verdict(Array("GET".utf8)), .needMore)
        XCTAssertEqual(verdict(Array("PROPFIND".utf8)), .needMore)
    }

    func testRecognisesPlaintextRequestLines() {
        for line in ["GET / HTTP/1.1\r\n", "POST /x HTTP/1.1\r\n", "OPTIONS * HTTP/1.1", "PRI * HTTP/2.0", "M-SEARCH "]
        {
            XCTAssertEqual(verdict(Array(line.utf8)), .plaintextHTTP, line)
        }
    }

    func testRefusesEverythingElse() {
        XCTAssertEqual(verdict([0x16, 0x02, 0x00]), .unknown, "not version 3.x")
        XCTAssertEqual(verdict([0x16, 0x03, 0x05]), .unknown, "unknown minor version")
        XCTAssertEqual(verdict([0x16, 0x03, 0x01, 0x00, 0x00]), .unknown, "empty record")
        XCTAssertEqual(verdict([0x16, 0x03, 0x01, 0x40, 0x01]), .unknown, "longer than 2^14")
        XCTAssertEqual(verdict([0x16, 0x03, 0x01, 0x00, 0x10, 0x02]), .unknown, "a ServerHello")
        XCTAssertEqual(verdict([0x80, 0x2e, 0x01]), .unknown, "SSL 2 hello")
        XCTAssertEqual(verdict(Array("get / HTTP/1.1".utf8)), .unknown, "lowercase method")
        XCTAssertEqual(verdict(Array(" GET".utf8)), .unknown, "leading space")
        XCTAssertEqual(verdict(Array("ABCDEFGHIJKLMNOPQRS".utf8)), .unknown, "no space in time")
        XCTAssertEqual(verdict([0x00]), .unknown)
    }

    func testThePlaintextAnswerIsACompleteClosing400() {
        let text = String(decoding: PlaintextProbe.plaintextHTTPResponse, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        XCTAssertTrue(text.contains("\r\nConnection: close\r\n"))
        let parts = text.components(separatedBy: "\r\n\r\n")
        XCTAssertEqual(parts.count, 2)
        XCTAssertTrue(text.contains("Content-Length: \(parts[1].utf8.count)\r\n"))
    }
}
