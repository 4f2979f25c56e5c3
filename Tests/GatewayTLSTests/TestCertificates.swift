// Certificates the tests make with the openssl command: a private CA, two leaves (EC and RSA),
// an expired one, a self-signed one. Made once per test run, in a temporary directory.

import Foundation
import XCTest

/// Paths of the PEM files in one generated set.
final class TestCertificates: @unchecked Sendable {
    let directory: String
    /// The private CA (`ca_file` for clients).
    var ca: String { directory + "/ca.pem" }
    /// EC leaf for `alpha.test` and `*.alpha.test`, signed by the CA.
    var alphaCert: String { directory + "/alpha.pem" }
    var alphaKey: String { directory + "/alpha.key" }
    /// RSA leaf for `beta.test`, signed by the CA (so RSA-only suites could be offered).
    var betaCert: String { directory + "/beta.pem" }
    var betaKey: String { directory + "/beta.key" }
    /// Signed by the CA, valid only in January 2020.
    var expiredCert: String { directory + "/expired.pem" }
    var expiredKey: String { directory + "/expired.key" }
    /// Self-signed `self.test`.
    var selfSignedCert: String { directory + "/self.pem" }
    var selfSignedKey: String { directory + "/self.key" }

    /// One set for the whole run: RSA key generation is slow enough to do once.
    static let shared: Result<TestCertificates, Error> = Result { try TestCertificates() }

    static func get() throws -> TestCertificates { try shared.get() }

    private init() throws {
        directory = NSTemporaryDirectory() + "gateway-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Gateway Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try leaf("alpha", key: ec, names: "DNS:alpha.test,DNS:*.alpha.test")
        try leaf("beta", key: ["-newkey", "rsa:2048", "-nodes"], names: "DNS:beta.test")
        try expired()
        try openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", "/CN=self.test",
                "-addext", "subjectAltName=DNS:self.test",
            ])
    }

    private func leaf(_ name: String, key: [String], names: String) throws {
        try openssl(
            ["req", "-new"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name).test"])
        try write("\(name).ext", "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\n")
        try openssl([
            "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "\(name).pem", "-days", "2", "-sha256", "-extfile", "\(name).ext",
        ])
    }

    /// `openssl x509` cannot back-date; `openssl ca` takes explicit dates.
    private func expired() throws {
        try write("index.txt", "")
        try write("serial", "1000\n")
        try write(
            "ca.cnf",
            """
            [ca]
            default_ca = test
            [test]
            database = index.txt
            new_certs_dir = .
            serial = serial
            default_md = sha256
            policy = anything
            unique_subject = no
            copy_extensions = copy
            [anything]
            commonName = supplied

            """)
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "expired.key",
            "-out", "expired.csr", "-subj", "/CN=old.test", "-addext", "subjectAltName=DNS:old.test",
        ])
        try openssl([
            "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "expired.csr",
            "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext",
        ])
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try Command.run(["openssl"] + arguments, directory: directory)
        guard result.status == 0 else {
            throw CommandFailure(description: "openssl \(arguments.joined(separator: " ")): \(result.output)")
        }
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program with a deadline and collects its exit status and output (stdout, then stderr).
enum Command {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(
        _ arguments: [String], input: String = "", directory: String? = nil, timeout: TimeInterval = 30
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        // Read both pipes on other threads, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        group.wait()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: out, as: UTF8.self) + String(decoding: err, as: UTF8.self))
    }
}
