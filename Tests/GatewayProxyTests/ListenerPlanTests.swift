// Which listeners a reload opens, closes and keeps.
import GatewayConfig
import XCTest

@testable import GatewayProxy

final class ListenerPlanTests: XCTestCase {
    private func key(_ host: String, _ port: Int) -> ListenerPlan.Key { .init(ListenerConfig(host: host, port: port)) }

    func testAnUnchangedListenerIsKeptAndNothingOpensOrCloses() {
        let plan = ListenerPlan(open: [key("127.0.0.1", 8080)], config: [ListenerConfig(host: "127.0.0.1", port: 8080)])
        XCTAssertEqual(plan.kept, [key("127.0.0.1", 8080)])
        XCTAssertEqual(plan.added, [])
        XCTAssertEqual(plan.removed, [])
    }

    func testAddedAndRemovedListenersAreSeparatedFromKeptOnes() {
        let plan = ListenerPlan(
            open: [key("127.0.0.1", 8080), key("127.0.0.1", 8081)],
            config: [ListenerConfig(host: "127.0.0.1", port: 8081), ListenerConfig(host: "::1", port: 8082)])
        XCTAssertEqual(plan.kept, [key("127.0.0.1", 8081)])
        XCTAssertEqual(plan.added, [ListenerConfig(host: "::1", port: 8082)])
        XCTAssertEqual(plan.removed, [key("127.0.0.1", 8080)])
        XCTAssertEqual(plan.removed.map(\.description), ["127.0.0.1:8080"])
        XCTAssertEqual(key("::1", 8082).description, "[::1]:8082")
    }

    func testTheSamePortOnAnotherAddressIsADifferentListener() {
        let plan = ListenerPlan(open: [key("127.0.0.1", 8080)], config: [ListenerConfig(host: "0.0.0.0", port: 8080)])
        XCTAssertEqual(plan.added.map { ListenerPlan.Key($0) }, [key("0.0.0.0", 8080)])
        XCTAssertEqual(plan.removed, [key("127.0.0.1", 8080)])
    }

    func testATLSChangeKeepsTheSocket() {
        let tls = ListenerTLSConfig(
            certificates: [], location: SourceLocation(file: "gateway.conf", line: 1, column: 1))
        let plan = ListenerPlan(
            open: [key("127.0.0.1", 8443)], config: [ListenerConfig(host: "127.0.0.1", port: 8443, tls: tls)])
        XCTAssertEqual(plan.kept, [key("127.0.0.1", 8443)])
        XCTAssertTrue(plan.added.isEmpty && plan.removed.isEmpty)
    }

    func testAListenerRepeatedInTheConfigOpensOnce() {
        let listen = ListenerConfig(host: "127.0.0.1", port: 9000)
        XCTAssertEqual(ListenerPlan(open: [], config: [listen, listen]).added, [listen])
    }
}
