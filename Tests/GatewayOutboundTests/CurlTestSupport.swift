// What CurlHTTPClientTests share: sending on the loop and waiting, the fixture server and its
// certificates, and the values the fixture echoes.
import Foundation
import GatewayCore
import GatewayTestSupport
import XCTest

@testable import GatewayOutbound

extension CurlHTTPClientTests {

    /// Sends on the loop and waits, off the loop, for the one completion.
    func fetch(
        _ request: OutboundRequest, on other: CurlHTTPClient? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> Result<OutboundResponse, OutboundHTTPError>? {
        let results = Results<Result<OutboundResponse, OutboundHTTPError>>()
        let client = other ?? self.client!
        let queue = self.queue
        queue.async {
            client.send(request) { result in
                dispatchPrecondition(condition: .onQueue(queue))
                results.append(result)
            }
        }
        guard results.wait(count: 1, timeout: 10) else {
            XCTFail("no completion", file: file, line: line)
            return nil
        }
        return results.all.first
    }

    func activity() -> (transfers: Int, sockets: Int) {
        let client = self.client!
        return queue.sync { client.activity }
    }
}

func failure(_ result: Result<OutboundResponse, OutboundHTTPError>?) -> OutboundHTTPError? {
    guard case .failure(let error)? = result else { return nil }
    return error
}

extension OutboundRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// What the fixture's /json saw.
struct Echo {
    var method: String
    var path: String
    var headers: [(String, String)]
    var body: String
    var clientPort: Int

    init(_ response: OutboundResponse) throws {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let json = try XCTUnwrap(object)
        method = try XCTUnwrap(json["method"] as? String)
        path = try XCTUnwrap(json["path"] as? String)
        headers = try XCTUnwrap(json["headers"] as? [[String]]).map { ($0[0], $0[1]) }
        body = try XCTUnwrap(json["body"] as? String)
        clientPort = try XCTUnwrap(json["client_port"] as? Int)
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Values appended from the loop, awaited from the test thread.
final class Results<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [T] = []

    func append(_ value: T) {
        condition.lock()
        values.append(value)
        condition.broadcast()
        condition.unlock()
    }

    var all: [T] {
        condition.lock()
        defer { condition.unlock() }
        return values
    }

    func wait(count: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while values.count < count {
            if !condition.wait(until: deadline) { return values.count >= count }
        }
        return true
    }
}

/// The sockets a client asked its factory for, in order. Touched only on the loop's queue.
final class MadeSockets {
    var all: [SocketIO] = []
}

/// Starts Fixtures/http_fixture.py and makes certificates for it.
enum FixtureServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/http_fixture.py").path

    static func start(arguments: [String] = []) throws -> FixtureProcess {
        try FixtureProcess.python(script: script, arguments: arguments)
    }

    /// A fresh self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI.
    static func selfSignedCertificate() throws -> (cert: String, key: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateway test CA",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { throw FixtureUnavailable("openssl not found") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureUnavailable("openssl req failed") }
        return (cert, key)
    }
}
