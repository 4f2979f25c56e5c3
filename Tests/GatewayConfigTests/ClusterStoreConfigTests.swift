// `store redis-cluster://...;`: the seed list parsed, and every malformed form refused with
// its file:line:col.
import XCTest

@testable import GatewayConfig

final class ClusterStoreConfigTests: XCTestCase {
    private func store(_ text: String) throws -> SessionStoreConfig {
        try TestConfig.load("session { store \(text); }\n").session.store
    }

    func testParsesSeedNodes() throws {
        XCTAssertEqual(
            try store("redis-cluster://10.0.0.1:7000,10.0.0.2:7001/"),
            .redisCluster(
                nodes: [
                    RedisNodeAddress(host: "10.0.0.1", port: 7000), RedisNodeAddress(host: "10.0.0.2", port: 7001),
                ],
                password: nil))
        XCTAssertEqual(
            try store("redis-cluster://:s3cr@t@r1.internal,[::1]:7002"),
            .redisCluster(
                nodes: [RedisNodeAddress(host: "r1.internal", port: 6379), RedisNodeAddress(host: "::1", port: 7002)],
                password: "s3cr@t"))
        XCTAssertEqual(
            try store("REDIS-CLUSTER://127.0.0.1:7000"),
            .redisCluster(nodes: [RedisNodeAddress(host: "127.0.0.1", port: 7000)], password: nil))
    }

    func testRefusesMalformedClusterURLs() {
        let form = #""store" must be "redis-cluster://[:password@]host:port,host:port,.../""#
        TestConfig.check([
            ConfigCase(
                name: "database", text: "session {\n  store redis-cluster://h:7000,h:7001/2;\n}\n",
                expected: [
                    #"gateway.conf:2:9: session: "store": a Redis Cluster has only database 0, so a cluster URL takes no database (remove "/2")"#
                ]),
            ConfigCase(
                name: "no nodes", text: "session { store redis-cluster:///; }\n",
                expected: [#"gateway.conf:1:17: session: \#(form), got an empty node among the nodes"#]),
            ConfigCase(
                name: "empty node", text: "session { store redis-cluster://h:1,,h:2/; }\n",
                expected: [#"gateway.conf:1:17: session: \#(form), got an empty node among the nodes"#]),
            ConfigCase(
                name: "bad host", text: "session { store \"redis-cluster://h:1,bad host:2\"; }\n",
                expected: [#"gateway.conf:1:17: session: \#(form), got "bad host:2" among the nodes"#]),
            ConfigCase(
                name: "port", text: "session { store redis-cluster://h:1,h:70000; }\n",
                expected: [
                    #"gateway.conf:1:17: session: "store" cluster node "h:70000" has an invalid port (must be 1-65535)"#
                ]),
            ConfigCase(
                name: "twice", text: "session { store redis-cluster://h:1,h:1; }\n",
                expected: [#"gateway.conf:1:17: session: "store" lists the cluster node "h:1" twice"#]),
            ConfigCase(
                name: "user name never shows the password",
                text: "session { store redis-cluster://admin:hunter2@h:1; }\n",
                expected: [
                    #"gateway.conf:1:17: session: "store" supports only a password ("redis-cluster://:PASSWORD@host:port"), not a user name"#
                ]),
        ])
    }
}
