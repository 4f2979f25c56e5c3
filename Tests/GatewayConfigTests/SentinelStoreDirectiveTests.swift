// `store redis-sentinel://...`: the sentinels, the master name and the database, and every way
// the URL can be wrong, with its place and never the password.
import XCTest

@testable import GatewayConfig

final class SentinelStoreDirectiveTests: XCTestCase {
    private func store(_ url: String) throws -> SessionStoreConfig {
        try TestConfig.load("session { store \(url); }\n").session.store
    }

    private func address(_ host: String, _ port: Int) -> RedisNodeAddress {
        RedisNodeAddress(host: host, port: port)
    }

    func testParsesSentinelsInOrderWithTheDefaultPortMasterAndDatabase() throws {
        XCTAssertEqual(
            try store("redis-sentinel://10.0.0.1:26380,sentinel-2.internal,[::1]:5000/mymaster/3"),
            .redisSentinel(
                SentinelStoreConfig(
                    sentinels: [
                        address("10.0.0.1", 26380), address("sentinel-2.internal", 26379), address("::1", 5000),
                    ],
                    master: "mymaster", database: 3)))
        XCTAssertEqual(
            try store("redis-sentinel://127.0.0.1:26379/gw.sessions_1-a"),
            .redisSentinel(SentinelStoreConfig(sentinels: [address("127.0.0.1", 26379)], master: "gw.sessions_1-a")))
        XCTAssertEqual(
            try store("REDIS-SENTINEL://:p@ss/w@127.0.0.1/m/"),
            .redisSentinel(
                SentinelStoreConfig(sentinels: [address("127.0.0.1", 26379)], master: "m", password: "p@ss/w")))
    }

    func testTheGatewayExampleFormPassesCheck() {
        XCTAssertEqual(
            TestConfig.messages(
                "session {\n    store redis-sentinel://:${P}@10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379/gateway/0;\n}\n",
                environment: ["P": "secret"]), [])
    }

    func testRejectsEachMalformedURLWithItsPlaceAndNoPassword() {
        let at = "gateway.conf:2:11: session: "
        TestConfig.check([
            ConfigCase(
                name: "no sentinel", text: "session {\n    store redis-sentinel:///mymaster;\n}\n",
                expected: [at + #""store" names no sentinel: expected "\#(ConfigValidator.sentinelStoreForm)""#]),
            ConfigCase(
                name: "no master", text: "session {\n    store redis-sentinel://:hunter2@127.0.0.1:26379;\n}\n",
                expected: [
                    at + #""store" names no master: expected "\#(ConfigValidator.sentinelStoreForm)", "#
                        + #"got "redis-sentinel://:***@127.0.0.1:26379""#
                ]),
            ConfigCase(
                name: "empty master", text: "session {\n    store redis-sentinel://127.0.0.1//0;\n}\n",
                expected: [
                    at + #""store" names no master: expected "\#(ConfigValidator.sentinelStoreForm)", "#
                        + #"got "redis-sentinel://127.0.0.1//0""#
                ]),
            ConfigCase(
                name: "bad master", text: "session {\n    store redis-sentinel://127.0.0.1/my%20master;\n}\n",
                expected: [
                    at + #""store" master name must be 1-64 letters, digits, ".", "_" or "-", got "my%20master""#
                ]),
            ConfigCase(
                name: "long master",
                text: "session {\n    store redis-sentinel://127.0.0.1/\(String(repeating: "m", count: 65));\n}\n",
                expected: [
                    at + #""store" master name must be 1-64 letters, digits, ".", "_" or "-", "#
                        + #"got "\#(String(repeating: "m", count: 65))""#
                ]),
            ConfigCase(
                name: "bad database", text: "session {\n    store redis-sentinel://127.0.0.1/m/x1;\n}\n",
                expected: [at + #""store" database must be a number, got "x1""#]),
            ConfigCase(
                name: "negative database", text: "session {\n    store redis-sentinel://127.0.0.1/m/-1;\n}\n",
                expected: [at + #""store" database must be a number, got "-1""#]),
            ConfigCase(
                name: "more path", text: "session {\n    store redis-sentinel://127.0.0.1/m/0/extra;\n}\n",
                expected: [
                    at + #""store" has more after the database: expected "\#(ConfigValidator.sentinelStoreForm)""#
                ]),
            ConfigCase(
                name: "empty item", text: "session {\n    store redis-sentinel://127.0.0.1,,10.0.0.2/m;\n}\n",
                expected: [at + #""store" sentinel "" is not a host[:port]"#]),
            ConfigCase(
                name: "bad port", text: "session {\n    store redis-sentinel://127.0.0.1:99999/m;\n}\n",
                expected: [at + #""store" sentinel "127.0.0.1:99999" has an invalid port (must be 1-65535)"#]),
            ConfigCase(
                name: "bad host", text: "session {\n    store redis-sentinel://bad_host!:1/m;\n}\n",
                expected: [at + #""store" sentinel "bad_host!:1" is not a host[:port]"#]),
            ConfigCase(
                name: "unbracketed v6", text: "session {\n    store redis-sentinel://::1:26379/m;\n}\n",
                expected: [at + #""store" sentinel "::1:26379" is not a host[:port]"#]),
            ConfigCase(
                name: "twice", text: "session {\n    store redis-sentinel://10.0.0.1,10.0.0.1:26379/m;\n}\n",
                expected: [at + #""store" lists sentinel "10.0.0.1:26379" twice"#]),
            ConfigCase(
                name: "user name", text: "session {\n    store redis-sentinel://admin:hunter2@10.0.0.1/m;\n}\n",
                expected: [
                    at + #""store" supports only a password ("redis-sentinel://:PASSWORD@host"), not a user name"#
                ]),
        ])
    }

    func testNoMessageShowsThePassword() {
        for text in [
            "redis-sentinel://:hunter2@127.0.0.1", "redis-sentinel://:hunter2@127.0.0.1/bad*name",
            "redis-sentinel://:hunter2@/m", "redis-sentinel://:hunter2@127.0.0.1:0/m",
        ] {
            let messages = TestConfig.messages("session { store \(text); }\n")
            XCTAssertEqual(messages.count, 1, text)
            XCTAssertFalse(messages.joined().contains("hunter2"), "\(messages)")
        }
    }
}
