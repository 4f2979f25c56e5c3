// docs/configuration.md against the validator's own directive tables (ConfigContext), so the
// reference and the code cannot drift: every directive the validator knows has an entry with
// syntax, default and an example, the page names no directive the validator does not know, and
// every example passes the validator; a default written as one value is the validator's.

import Foundation
import XCTest

@testable import GatewayConfig

final class ConfigurationDocTests: XCTestCase {
    /// Tests/GatewayConfigTests/ConfigurationDocTests.swift -> docs/configuration.md.
    private static let docPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/configuration.md").path

    /// One `### \`name\`` entry of the page.
    struct Entry {
        var name: String
        var context: ConfigContext
        var line: Int
        var body: [String]
        var example: String?
    }

    /// The `##` heading a block's directives go under: `Top level`, or `` `upstream` block ``.
    static func heading(_ context: ConfigContext) -> String {
        context == .topLevel ? "Top level" : "`\(context)` block"
    }

    /// What the directive is called in messages: `"hsts" (top level)`, `"ca_file" in "upstream"`.
    static func describe(_ name: String, _ context: ConfigContext) -> String {
        context == .topLevel ? "\"\(name)\" (top level)" : "\"\(name)\" in \"\(context)\""
    }

    /// The entries of the page, and problems with its headings.
    static func entries(_ text: String) -> (entries: [Entry], problems: [String]) {
        var entries: [Entry] = []
        var problems: [String] = []
        var context: ConfigContext?
        var fence: [String]?
        var fenceIsNginx = false
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                if let lines = fence {
                    if fenceIsNginx, context != nil, !entries.isEmpty, entries[entries.count - 1].example == nil {
                        entries[entries.count - 1].example = lines.joined(separator: "\n")
                    }
                    fence = nil
                } else {
                    fence = []
                    fenceIsNginx = line == "```nginx"
                }
                continue
            }
            if fence != nil {
                fence!.append(line)
                continue
            }
            if line.hasPrefix("## ") {
                let title = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                context = ConfigContext.allCases.first { heading($0) == title }
                if context == nil, title.hasPrefix("`"), title.hasSuffix("` block") {
                    problems.append(
                        "docs/configuration.md:\(index + 1): section \"\(title)\" names a block the validator does not know")
                }
                continue
            }
            if line.hasPrefix("### "), let context {
                let title = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
                guard title.hasPrefix("`"), title.hasSuffix("`"), title.count > 2 else {
                    problems.append(
                        "docs/configuration.md:\(index + 1): an entry's heading must be a directive name in backquotes, got \"\(title)\"")
                    continue
                }
                entries.append(Entry(name: String(title.dropFirst().dropLast()), context: context, line: index + 1, body: []))
                continue
            }
            if context != nil, !entries.isEmpty { entries[entries.count - 1].body.append(line) }
        }
        return (entries, problems)
    }

    /// One message for each directive the validator knows that has no entry.
    static func undocumented(_ entries: [Entry]) -> [String] {
        let documented = Set(entries.map { "\($0.context)/\($0.name)" })
        var missing: [String] = []
        for context in ConfigContext.allCases {
            for spec in context.directives where !documented.contains("\(context)/\(spec.name)") {
                missing.append(
                    "\(describe(spec.name, context)) is not documented in docs/configuration.md: add a "
                        + "\"### `\(spec.name)`\" entry under \"## \(heading(context))\" with **Syntax:**, **Default:** "
                        + "and an **Example:** in an nginx code block")
            }
        }
        return missing
    }

    private func entries() throws -> [Entry] {
        let (entries, problems) = Self.entries(try String(contentsOfFile: Self.docPath, encoding: .utf8))
        XCTAssert(problems.isEmpty, "\n" + problems.joined(separator: "\n"))
        return entries
    }

    func testEveryDirectiveTheValidatorKnowsIsDocumented() throws {
        let missing = Self.undocumented(try entries())
        XCTAssert(missing.isEmpty, "\n" + missing.joined(separator: "\n"))
    }

    func testTheDocNamesNoDirectiveTheValidatorDoesNotKnow() throws {
        var unknown: [String] = []
        var seen: Set<String> = []
        for entry in try entries() {
            if entry.context.spec(entry.name) == nil {
                let elsewhere = ConfigContext.allCases.filter { $0.spec(entry.name) != nil }
                    .map { "\"## \(Self.heading($0))\"" }
                unknown.append(
                    "docs/configuration.md:\(entry.line): documents \(Self.describe(entry.name, entry.context)), which the validator does not accept there"
                        + (elsewhere.isEmpty ? "" : " (it belongs under \(elsewhere.joined(separator: ", ")))"))
            }
            if !seen.insert("\(entry.context)/\(entry.name)").inserted {
                unknown.append("docs/configuration.md:\(entry.line): \(Self.describe(entry.name, entry.context)) is documented twice")
            }
        }
        XCTAssert(unknown.isEmpty, "\n" + unknown.joined(separator: "\n"))
    }

    func testEveryEntryHasSyntaxDefaultAndExample() throws {
        var problems: [String] = []
        for entry in try entries() {
            let body = entry.body.joined(separator: "\n")
            for label in ["**Syntax:**", "**Default:**", "**Example:**"] where !body.contains(label) {
                problems.append("docs/configuration.md:\(entry.line): \(Self.describe(entry.name, entry.context)) has no \(label)")
            }
            if let syntax = entry.body.first(where: { $0.contains("**Syntax:**") }), !syntax.contains("`\(entry.name)") {
                problems.append("docs/configuration.md:\(entry.line): the syntax of \"\(entry.name)\" does not start with its name")
            }
            if entry.example == nil {
                problems.append("docs/configuration.md:\(entry.line): \(Self.describe(entry.name, entry.context)) has no nginx example")
            }
        }
        XCTAssert(problems.isEmpty, "\n" + problems.joined(separator: "\n"))
    }

    /// Each example uses its directive in its block and, completed with what it leaves out
    /// (public_url, an `app` upstream, a session with a cookie secret, a provider), loads
    /// without a single diagnostic, as `gateway --check` would see it.
    func testEveryExamplePassesTheValidator() throws {
        var problems: [String] = []
        for entry in try entries() {
            guard let example = entry.example else { continue }
            let environment = Self.environment(for: example)
            var parser = ConfigParser(environment: environment)
            let nodes = parser.parse(text: example, file: "example", directory: ".")
            let subject = "docs/configuration.md:\(entry.line): the example of \(Self.describe(entry.name, entry.context))"
            let uses =
                entry.context == .topLevel
                ? nodes.contains { $0.name == entry.name }
                : nodes.contains { node in
                    node.name == "\(entry.context)" && (node.children ?? []).contains { $0.name == entry.name }
                }
            if !uses {
                let block = entry.context == .topLevel ? "at the top level" : "inside a \"\(entry.context)\" block"
                problems.append("\(subject) does not use it \(block)")
            }
            do {
                _ = try ConfigLoader.load(
                    text: Self.completed(example, nodes: nodes), file: "example", environment: environment,
                    baseDirectory: ".", canonicalPath: nil, signInAvailable: ConfigLoader.signInAvailable)
            } catch {
                problems.append("\(subject) fails validation:\n    " + error.diagnostics.map(\.description).joined(separator: "\n    "))
            }
        }
        XCTAssert(problems.isEmpty, "\n" + problems.joined(separator: "\n"))
    }

    /// An entry whose default is one written value (`` **Default:** `75s` ``, optionally followed
    /// by a parenthesis) states what the validator does without the directive: its example with
    /// the directive set to that value loads to the same configuration as its example without it.
    func testEveryWrittenDefaultIsTheValidatorsDefault() throws {
        var problems: [String] = []
        var checked = 0
        for entry in try entries() {
            guard let example = entry.example, let value = Self.writtenDefault(entry) else { continue }
            let lines = example.components(separatedBy: "\n")
            let uses = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(entry.name + " ") }
            guard let first = uses.first else { continue }
            var without = lines
            for index in uses { without[index] = "" }  // blank lines keep every other line number
            var with = without
            with[first] = "\(entry.name) \(value);"
            let subject = "docs/configuration.md:\(entry.line): the default of \(Self.describe(entry.name, entry.context))"
            do {
                let unset = try Self.dumpedLoad(without.joined(separator: "\n"))
                let set = try Self.dumpedLoad(with.joined(separator: "\n"))
                if unset != set {
                    problems.append("\(subject), `\(value)`, is not what the validator uses when it is left out")
                }
                checked += 1
            } catch {
                problems.append(
                    "\(subject) could not be checked:\n    " + error.diagnostics.map(\.description).joined(separator: "\n    "))
            }
        }
        XCTAssert(problems.isEmpty, "\n" + problems.joined(separator: "\n"))
        XCTAssertGreaterThan(checked, 25, "fewer written defaults were checked than the page has")
    }

    /// `VALUE` of "- **Default:** `VALUE`" or "- **Default:** `VALUE` (...)"; nil for prose.
    static func writtenDefault(_ entry: Entry) -> String? {
        guard let line = entry.body.first(where: { $0.hasPrefix("- **Default:** `") }) else { return nil }
        let rest = line.dropFirst("- **Default:** `".count)
        guard let end = rest.firstIndex(of: "`") else { return nil }
        let after = rest[rest.index(after: end)...]
        guard after.isEmpty || after.hasPrefix(" (") else { return nil }
        return String(rest[..<end])
    }

    /// The example, completed as in testEveryExamplePassesTheValidator, loaded and dumped.
    static func dumpedLoad(_ example: String) throws(ConfigErrors) -> String {
        let environment = environment(for: example)
        var parser = ConfigParser(environment: environment)
        let nodes = parser.parse(text: example, file: "example", directory: ".")
        let config = try ConfigLoader.load(
            text: completed(example, nodes: nodes), file: "example", environment: environment, baseDirectory: ".",
            canonicalPath: nil, signInAvailable: ConfigLoader.signInAvailable)
        var text = ""
        dump(config, to: &text)
        return text
    }

    /// A value for every `${NAME}`, long enough to be a cookie secret.
    static func environment(for text: String) -> [String: String] {
        var environment: [String: String] = [:]
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            environment[String(rest[start.upperBound..<end])] = "docs-example-value-0123456789abcdef"
            rest = rest[rest.index(after: end)...]
        }
        return environment
    }

    /// The example plus whatever top-level pieces it leaves out that a location may need.
    static func completed(_ example: String, nodes: [ConfigNode]) -> String {
        func has(_ name: String, named arg: String? = nil) -> Bool {
            nodes.contains { $0.name == name && (arg == nil || $0.args.first?.value == arg) }
        }
        var text = example + "\n"
        if !has("public_url") { text += "public_url https://app.example.com;\n" }
        if !has("upstream", named: "app") { text += "upstream app { server 127.0.0.1:3000; }\n" }
        if !has("session") { text += "session { cookie_secret docs-example-cookie-secret-0123456789; }\n" }
        if !has("provider") {
            text += "provider corp { type oidc; issuer https://login.example.com; client_id a; client_secret b; }\n"
        }
        return text
    }

    // MARK: - The checks catch drift

    func testAMissingEntryIsNamedInTheMessage() throws {
        // The page without its "keepalive" entry: the message names that directive and its block.
        let text = try String(contentsOfFile: Self.docPath, encoding: .utf8)
        let entry = "### `keepalive`\n"
        let range = try XCTUnwrap(text.range(of: entry))
        // Only what the removal adds: a directive merged in meanwhile may be undocumented too.
        let before = Set(Self.undocumented(Self.entries(text).entries))
        let missing = Self.undocumented(Self.entries(text.replacingCharacters(in: range, with: "")).entries)
            .filter { !before.contains($0) }
        XCTAssertEqual(missing.count, 1)
        XCTAssertTrue(
            missing.first?.hasPrefix(
                "\"keepalive\" in \"upstream\" is not documented in docs/configuration.md: add a \"### `keepalive`\" entry under \"## `upstream` block\""
            ) ?? false, missing.first ?? "")
        XCTAssertEqual(Self.describe("hsts", .topLevel), "\"hsts\" (top level)")
    }

    func testTheExampleCheckRejectsABadExample() {
        let example = "upstream app {\n    server 127.0.0.1:3000;\n    keepalive many;\n}"
        var parser = ConfigParser(environment: [:])
        let nodes = parser.parse(text: example, file: "example", directory: ".")
        XCTAssertThrowsError(
            try ConfigLoader.load(
                text: Self.completed(example, nodes: nodes), file: "example", environment: [:], baseDirectory: ".",
                canonicalPath: nil, signInAvailable: ConfigLoader.signInAvailable))
    }
}
