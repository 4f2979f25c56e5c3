// Certificates for the TLS tests, made with the openssl command: a private CA and leaf
// certificates signed by it; and one-shot runs of curl and openssl s_client.
import Foundation
import GatewayTestSupport
import XCTest

struct TLSFixture {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }

    /// A CA, and leaves for `localhost`/127.0.0.1 (named `a.test` too) and for `b.test`.
    init(directory: URL) throws {
        self.directory = directory
        try Self.openssl(
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=gateway test CA",
             "-keyout", path("ca.key"), "-out", path("ca.pem")], in: directory)
        try leaf("a", names: "DNS:a.test,DNS:localhost,IP:127.0.0.1")
        try leaf("b", names: "DNS:b.test")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// `cert=... key=...` for the leaf `name`.
    func pair(_ name: String) -> String { "cert=\(path("\(name).pem")) key=\(path("\(name).key"))" }

    private func leaf(_ name: String, names: String) throws {
        try Self.openssl(
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name).test", "-keyout", path("\(name).key"),
             "-out", path("\(name).csr")], in: directory)
        try "subjectAltName=\(names)\n".write(toFile: path("\(name).ext"), atomically: false, encoding: .utf8)
        try Self.openssl(
            ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
             "-CAcreateserial", "-days", "2", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")], in: directory)
    }

    private static func openssl(_ arguments: [String], in directory: URL) throws {
        let result = try run("/usr/bin/openssl", arguments, in: directory)
        guard result.status == 0 else { throw FixtureUnavailable("openssl \(arguments[0]) failed: \(result.stderr)") }
    }

    /// Runs a command to its end (bounded by `timeout` seconds) with `input` on stdin.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL, input: String = "", timeout: TimeInterval = 60
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let stdin = Pipe()
        let out = directory.appendingPathComponent("run-\(UUID().uuidString.prefix(8)).out")
        let err = directory.appendingPathComponent("run-\(UUID().uuidString.prefix(8)).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        if !waitUntil(timeout: timeout, interval: 0.02, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (
            process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }
}
