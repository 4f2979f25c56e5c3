// The syntax tree, syntax errors, and `include` with globs and cycles.

import XCTest

@testable import GatewayConfig

final class ConfigParserTests: XCTestCase {
    private func parse(_ text: String) -> (nodes: [ConfigNode], diagnostics: [String]) {
        var parser = ConfigParser(environment: [:])
        let nodes = parser.parse(text: text, file: "f", directory: ".")
        return (nodes, parser.diagnostics.map(\.description))
    }

    func testBuildsDirectivesAndBlocksWithArgumentsAndPositions() {
        let result = parse("listen 1:2 tls;\nupstream app {\n  server a:1;\n}\nsession {}\n")
        XCTAssertEqual(result.diagnostics, [])
        XCTAssertEqual(result.nodes.map(\.name), ["listen", "upstream", "session"])
        XCTAssertEqual(result.nodes[0].args.map(\.value), ["1:2", "tls"])
        XCTAssertNil(result.nodes[0].children)
        XCTAssertEqual(result.nodes[1].location.description, "f:2:1")
        XCTAssertEqual(result.nodes[1].args[0].location.description, "f:2:10")
        XCTAssertEqual(result.nodes[1].children?.map(\.name), ["server"])
        XCTAssertEqual(result.nodes[1].children?[0].location.description, "f:3:3")
        XCTAssertEqual(result.nodes[2].children, [])
    }

    func testSyntaxErrors() {
        TestConfig.check([
            ConfigCase(
                name: "missing semicolon before closing brace",
                text: "upstream app {\n  server a:1\n}\n",
                expected: [#"gateway.conf:3:1: expected ";" or "{" after directive "server""#]),
            ConfigCase(
                name: "missing semicolon at end of file",
                text: "workers 2",
                expected: [#"gateway.conf:1:10: expected ";" or "{" after directive "workers""#]),
            ConfigCase(
                name: "stray closing brace",
                text: "workers 2;\n}\n",
                expected: [#"gateway.conf:2:1: unexpected "}""#]),
            ConfigCase(
                name: "stray semicolon and nameless block",
                text: "workers 2;;\n{ x; }\n",
                expected: [
                    #"gateway.conf:1:11: unexpected ";""#, #"gateway.conf:2:1: unexpected "{""#,
                ]),
            ConfigCase(
                name: "unclosed block",
                text: "workers 2;\n\nupstream app {\n  server a:1;\n",
                expected: [
                    #"gateway.conf:5:1: unexpected end of file: block "upstream" opened at 3:1 is not closed"#
                ]),
            ConfigCase(
                name: "unclosed nested block reports the innermost only",
                text: "location / {\n  x {\n",
                expected: [
                    #"gateway.conf:3:1: unexpected end of file: block "x" opened at 2:3 is not closed"#
                ]),
            ConfigCase(
                name: "unterminated string hides the follow-on errors",
                text: "location / {\n  proxy_pass \"app;\n}\n",
                expected: [#"gateway.conf:2:14: unterminated quoted string: missing closing ""#]),
            ConfigCase(
                name: "syntax errors skip validation",
                text: "frobnicate 1;\n}\n",
                expected: [#"gateway.conf:2:1: unexpected "}""#]),
        ])
    }

    // MARK: - include

    private let upstreamText = "upstream app { server 127.0.0.1:3000; }\n"

    func testIncludesFilesRelativeToTheIncludingFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "conf/gateway.conf",
            "include parts/upstream.conf;\nlocation / { include parts/loc.inc; }\n")
        try dir.write("conf/parts/upstream.conf", "include more/workers.conf;\n" + upstreamText)
        try dir.write("conf/parts/more/workers.conf", "workers 3;\n")
        try dir.write("conf/parts/loc.inc", "auth off;\nproxy_pass app;\n")

        let config = try ConfigLoader.load(path: dir.path + "/conf/gateway.conf", environment: [:])
        XCTAssertEqual(config.workers, 3)
        XCTAssertEqual(config.upstreams.map(\.name), ["app"])
        XCTAssertEqual(config.locations.map(\.proxyPass), ["app"])
        XCTAssertEqual(config.locations.map(\.auth), [.off])
        // Items from an included file carry that file's name.
        XCTAssertEqual(config.upstreams[0].location.file, dir.path + "/conf/parts/upstream.conf")
    }

    func testIncludeGlobTakesMatchesInNameOrderAndSkipsHiddenFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("gateway.conf", "include conf.d/*.conf;\n" + upstreamText)
        try dir.write("conf.d/20-b.conf", "location /b/ { auth off; proxy_pass app; }\n")
        try dir.write("conf.d/10-a.conf", "location /a/ { auth off; proxy_pass app; }\n")
        try dir.write("conf.d/.30-hidden.conf", "this is not valid\n")
        try dir.write("conf.d/notes.txt", "neither is this\n")

        let config = try ConfigLoader.load(path: dir.path + "/gateway.conf", environment: [:])
        XCTAssertEqual(config.locations.map(\.prefix), ["/a/", "/b/"])
    }

    func testIncludeGlobWithoutMatchesIsNotAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("gateway.conf", "include conf.d/*.conf;\nworkers 2;\n")
        try dir.write("conf.d/readme.txt", "")
        XCTAssertEqual(
            try ConfigLoader.load(path: dir.path + "/gateway.conf", environment: [:]).workers, 2)
    }

    func testReportsMissingIncludeAtTheIncludeDirective() {
        let messages = TestConfig.messages(
            "workers 2;\n  include nowhere.conf;\n", baseDirectory: "/nonexistent")
        XCTAssertEqual(
            messages,
            [
                #"gateway.conf:2:3: cannot include "/nonexistent/nowhere.conf": No such file or directory"#
            ])
    }

    func testReportsIncludeArgumentCountAndBlock() {
        XCTAssertEqual(
            TestConfig.messages("include;\ninclude a b;\ninclude x { }\n"),
            [
                #"gateway.conf:1:1: "include" expects 1 argument, got 0"#,
                #"gateway.conf:2:1: "include" expects 1 argument, got 2"#,
                #"gateway.conf:3:1: "include" does not take a block"#,
            ])
    }

    func testReportsIncludeCycle() throws {
        let dir = try TemporaryDirectory()
        try dir.write("gateway.conf", "workers 2;\ninclude a.conf;\n")
        try dir.write("a.conf", "include sub/b.conf;\n")
        try dir.write("sub/b.conf", "\ninclude ../a.conf;\n")

        let main = dir.path + "/gateway.conf"
        XCTAssertThrowsError(try ConfigLoader.load(path: main, environment: [:])) { error in
            let p = dir.path
            XCTAssertEqual(
                (error as? ConfigErrors)?.description,
                "\(p)/sub/b.conf:2:1: include cycle: \(p)/a.conf -> \(p)/sub/b.conf -> \(p)/sub/../a.conf"
            )
        }
    }

    func testReportsAFileThatIncludesItself() throws {
        let dir = try TemporaryDirectory()
        try dir.write("gateway.conf", "include gateway.conf;\n")
        let main = dir.path + "/gateway.conf"
        XCTAssertThrowsError(try ConfigLoader.load(path: main, environment: [:])) { error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.description,
                "\(main):1:1: include cycle: \(main) -> \(main)")
        }
    }

    func testRejectsGlobOutsideTheLastPathComponent() {
        XCTAssertEqual(
            TestConfig.messages("include */x.conf;\n"),
            [
                #"gateway.conf:1:1: include "*/x.conf": "*" is only allowed in the last path component"#
            ])
    }

    func testGlobMatching() {
        XCTAssertTrue(ConfigParser.glob("*.conf", matches: "a.conf"))
        XCTAssertTrue(ConfigParser.glob("*", matches: "a"))
        XCTAssertTrue(ConfigParser.glob("a*b*c", matches: "axxbyyc"))
        XCTAssertFalse(ConfigParser.glob("*.conf", matches: "a.conf.bak"))
        XCTAssertFalse(ConfigParser.glob("*.conf", matches: ".a.conf"))
        XCTAssertTrue(ConfigParser.glob(".*.conf", matches: ".a.conf"))
    }

    func testReportsUnreadableMainFile() {
        XCTAssertThrowsError(
            try ConfigLoader.load(path: "/nonexistent/gateway.conf", environment: [:])
        ) {
            error in
            XCTAssertEqual(
                (error as? ConfigErrors)?.description,
                "/nonexistent/gateway.conf:1:1: cannot read file: No such file or directory")
        }
    }
}
