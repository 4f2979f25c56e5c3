// Sizes, durations, addresses, URLs and edit distance.

import XCTest

@testable import GatewayConfig

final class ConfigValueTests: XCTestCase {
    func testParsesSizes() {
        XCTAssertEqual(ConfigValues.size("512"), 512)
        XCTAssertEqual(ConfigValues.size("16k"), 16 * 1024)
        XCTAssertEqual(ConfigValues.size("16K"), 16 * 1024)
        XCTAssertEqual(ConfigValues.size("2m"), 2 * 1024 * 1024)
        XCTAssertEqual(ConfigValues.size("1G"), 1024 * 1024 * 1024)
        for bad in ["", "k", "1.5k", "-1", "1kb", "1 k", "99999999999999999999"] {
            XCTAssertNil(ConfigValues.size(bad), bad)
        }
    }

    func testParsesDurations() {
        XCTAssertEqual(ConfigValues.duration("500ms"), .milliseconds(500))
        XCTAssertEqual(ConfigValues.duration("10s"), .seconds(10))
        XCTAssertEqual(ConfigValues.duration("5m"), .seconds(300))
        XCTAssertEqual(ConfigValues.duration("2h"), .seconds(7200))
        XCTAssertEqual(ConfigValues.duration("1d"), .seconds(86_400))
        XCTAssertEqual(ConfigValues.duration("1h30m"), .seconds(5400))
        XCTAssertEqual(ConfigValues.duration("1d2h3m4s5ms"), .milliseconds(93_784_005))
        XCTAssertEqual(ConfigValues.duration("90"), .seconds(90))
        for bad in [
            "", "s", "10x", "1h30", "30m1h", "1m1m", "1.5s", "-1s", "10 s", "999999999999999d",
        ] {
            XCTAssertNil(ConfigValues.duration(bad), bad)
        }
    }

    func testParsesListenAddresses() throws {
        let config = try TestConfig.load(
            "listen 127.0.0.1:80;\nlisten [::]:81;\nlisten localhost:82;\nlisten 83;\nlisten 127.0.0.1:0;\n"
        )
        XCTAssertEqual(
            config.listeners,
            [
                ListenerConfig(host: "127.0.0.1", port: 80), ListenerConfig(host: "::", port: 81),
                ListenerConfig(host: "localhost", port: 82),
                ListenerConfig(host: "0.0.0.0", port: 83),
                ListenerConfig(host: "127.0.0.1", port: 0),
            ])
    }

    func testParsesPublicURLs() throws {
        func url(_ text: String) throws -> PublicURL? {
            try TestConfig.load("public_url \(text);\n").publicURL
        }
        XCTAssertEqual(
            try url("https://App.Example.com/"),
            PublicURL(isHTTPS: true, host: "app.example.com", port: nil))
        XCTAssertEqual(
            try url("http://localhost:8080"),
            PublicURL(isHTTPS: false, host: "localhost", port: 8080))
        XCTAssertEqual(
            try url("HTTPS://[::1]:8443"), PublicURL(isHTTPS: true, host: "[::1]", port: 8443))
        XCTAssertEqual(try url("https://[::1]:8443")?.description, "https://[::1]:8443")
    }

    func testParsesSessionStores() throws {
        func store(_ text: String) throws -> SessionStoreConfig {
            try TestConfig.load("session { store \(text); }\n").session.store
        }
        XCTAssertEqual(try store("memory"), .memory)
        XCTAssertEqual(
            try store("redis://localhost"),
            .redis(host: "localhost", port: 6379, database: 0, password: nil))
        XCTAssertEqual(
            try store("redis://10.0.0.1:7000/"),
            .redis(host: "10.0.0.1", port: 7000, database: 0, password: nil))
        XCTAssertEqual(
            try store("redis://:s3cret@r.internal/5"),
            .redis(host: "r.internal", port: 6379, database: 5, password: "s3cret"))
        XCTAssertEqual(
            try store("redis://[::1]:6380/1"),
            .redis(host: "::1", port: 6380, database: 1, password: nil))
    }

    func testAuthPrefixDropsTrailingSlash() throws {
        XCTAssertEqual(try TestConfig.load("auth_prefix /_gateway/;\n").authPrefix, "/_gateway")
    }

    func testEditDistanceCountsSwapsAsOneEdit() {
        XCTAssertEqual(EditDistance.distance("upstrem", "upstream"), 1)
        XCTAssertEqual(EditDistance.distance("lsiten", "listen"), 1)
        XCTAssertEqual(EditDistance.distance("", "abc"), 3)
        XCTAssertEqual(EditDistance.distance("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.nearest(to: "sever", in: ["server", "keepalive"]), "server")
        XCTAssertNil(EditDistance.nearest(to: "xyz", in: ["server", "keepalive"]))
        // Two edits would turn any two-letter word into anything; no suggestion for those.
        XCTAssertNil(EditDistance.nearest(to: "te", in: ["type"]))
    }
}
