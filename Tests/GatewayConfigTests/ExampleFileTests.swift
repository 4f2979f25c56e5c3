// The repository's gateway.conf.example must stay a valid, complete reference.

import Foundation
import XCTest

@testable import GatewayConfig

final class ExampleFileTests: XCTestCase {
    /// Tests/GatewayConfigTests/ExampleFileTests.swift -> the repository root.
    private let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("gateway.conf.example").path

    /// Every variable the example (including its commented-out blocks) refers to.
    private let environment = FullConfigTests.environment.merging([
        "GOOGLE_ID": "g-id", "GOOGLE_SECRET": "g-secret", "GHE_ID": "ghe-id",
        "GHE_SECRET": "ghe-secret",
    ]) { a, _ in a }

    private let gate =
        #""auth required" needs sign-in, which this build does not support yet; use "auth off" for public paths"#

    private func exampleText() throws -> String {
        try String(contentsOfFile: examplePath, encoding: .utf8)
    }

    func testExampleIsValidForThisBuild() throws {
        let config = try ConfigLoader.load(path: examplePath, environment: environment)
        XCTAssertEqual(config.providers.map(\.name), ["github", "twitter", "corp"])
        XCTAssertEqual(config.locations.map(\.auth), [.off, .required, .required])
    }

    func testProviderTypesOutsideTheBuildsSetAreRefused() {
        XCTAssertEqual(ConfigLoader.availableProviderTypes, Set(ProviderType.allCases))
        XCTAssertThrowsError(
            try ConfigLoader.load(
                text: "provider github { client_id a; client_secret b; }\n", file: "gateway.conf", environment: [:],
                baseDirectory: ".", canonicalPath: nil, signInAvailable: true, providerTypes: [.oidc])
        ) { error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.diagnostics.map(\.description),
                [#"gateway.conf:1:1: provider "github": type "github" is not available in this build yet; use "type oidc" with the provider's issuer"#])
        }
    }

    func testExampleWithoutProtectedLocationsIsValid() throws {
        var parser = ConfigParser(environment: environment)
        let nodes = parser.parse(text: try exampleText(), file: examplePath, directory: ".")
        XCTAssertEqual(parser.diagnostics, [])
        let isProtected = { (node: ConfigNode) -> Bool in
            node.name == "location"
                && !(node.children ?? []).contains {
                    $0.name == "auth" && $0.args.first?.value == "off"
                }
        }
        let publicOnly = nodes.filter { !isProtected($0) }
        XCTAssertEqual(nodes.count - publicOnly.count, 2)

        var validator = ConfigValidator(signInAvailable: false)
        let config = validator.validate(publicOnly, sourceFile: examplePath)
        XCTAssertEqual(validator.diagnostics, [])
        XCTAssertEqual(config.locations.map(\.prefix), ["/static/"])
        XCTAssertEqual(config.providers.map(\.name), ["github", "twitter", "corp"])
    }

    func testExampleIsValidOnceSignInIsAvailable() throws {
        let config = try ConfigLoader.load(
            path: examplePath, environment: environment, signInAvailable: true)
        XCTAssertEqual(config.locations.map(\.prefix), ["/static/", "/admin/", "/"])
        XCTAssertEqual(
            config.locations[2].identityHeaders,
            [.email: "X-Forwarded-Email", .user: "X-Forwarded-User"])
        XCTAssertEqual(
            config.session.store, .redis(host: "127.0.0.1", port: 6379, database: 0, password: nil))
    }

    /// The commented-out directives are part of the reference too: uncommented, they must load.
    func testExampleCommentedDirectivesAreValid() throws {
        let uncommented = Self.uncommentDirectives(try exampleText())
        XCTAssertGreaterThan(uncommented.count, 20)
        // The TLS files it names must be readable: stand-ins in a directory of our own.
        let files = try TemporaryDirectory()
        for name in ["cert.pem", "key.pem", "api-cert.pem", "api-key.pem", "upstream-ca.pem"] {
            try files.write(name, "pem")
        }
        let text = uncommented.text.replacingOccurrences(of: "/etc/gateway/", with: files.path + "/")
        let config = try ConfigLoader.load(
            text: text, file: "uncommented.conf", environment: environment,
            baseDirectory: ".",
            canonicalPath: nil, signInAvailable: true)
        XCTAssertEqual(config.listeners.count, 2)
        XCTAssertEqual(config.listeners[1].tls?.certificates.count, 2)
        XCTAssertEqual(config.upstreams.map(\.name), ["app", "billing"])
        XCTAssertEqual(config.warnings, [])
        XCTAssertEqual(
            config.providers.map(\.name), ["github", "twitter", "corp", "google", "ghe"])
        XCTAssertTrue(config.autoRedirect)
    }

    /// Turns `# name args;` lines (one space after `#`) and the lines of `# name {` ... `# }`
    /// blocks back into directives. Prose and syntax summaries (`on|off`, text after the `;`)
    /// don't have that shape.
    static func uncommentDirectives(_ text: String) -> (text: String, count: Int) {
        var lines: [String] = []
        var count = 0
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("# ") else {
                lines.append(String(line))
                continue
            }
            let body = trimmed.dropFirst(2)
            let code = (body.split(separator: "#", maxSplits: 1).first.map(String.init) ?? "")
                .trimmingCharacters(in: .whitespaces)
            let isDirective =
                body.first?.isLowercase == true && (code.hasSuffix(";") || code.hasSuffix("{"))
                && !code.contains("|") && !code.contains("  ")
                && code.split(separator: ";").count == 1
            guard inBlock || isDirective else {
                lines.append(String(line))
                continue
            }
            lines.append(String(line.prefix(line.count - trimmed.count)) + body)
            count += 1
            if code.hasSuffix("{") { inBlock = true }
            if code == "}" { inBlock = false }
        }
        return (lines.joined(separator: "\n"), count)
    }
}
