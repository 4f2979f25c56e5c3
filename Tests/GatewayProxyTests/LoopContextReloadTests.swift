// A loop's generations after reloads: connections find the newest one, and a retired one lets
// its services go once nothing holds it.
import GatewayConfig
import GatewayCore
import GatewayTestSupport
import Logging
import XCTest

@testable import GatewayProxy

final class LoopContextReloadTests: XCTestCase {
    private let loop = EventLoop(index: 0)

    private func context() throws -> LoopContext {
        let config = try ConfigLoader.load(
            text:
                "listen 127.0.0.1:0;\nupstream app { server 127.0.0.1:1; }\nlocation / { auth off; proxy_pass app; }\n",
            file: "gateway.conf")
        let upstreams = try config.upstreams.map(UpstreamTarget.init)
        let shared = ProxyShared(
            config: config, upstreams: upstreams, errorLog: Logger(label: "test"),
            health: HealthMonitor(upstreams: upstreams, interval: .seconds(60)))
        return LoopContext(loop: loop, shared: shared)
    }

    func testAConnectionOnAnOldGenerationFollowsEverySuccessorToTheNewest() throws {
        let (first, second, third) = (try context(), try context(), try context())
        loop.queue.sync {
            XCTAssertNil(first.latest, "the current generation has no successor")
            first.retire(for: second)
            second.retire(for: third)
            XCTAssertTrue(first.latest === third)
            XCTAssertTrue(second.latest === third)
            XCTAssertNil(third.latest)
        }
    }

    func testARetiredGenerationReleasesItsServicesOnItsLoopOnceNothingHoldsIt() throws {
        let released = expectation(description: "released")
        var old: LoopContext? = try context()
        let next = try context()
        old?.onRelease = { [loop] in
            dispatchPrecondition(condition: .onQueue(loop.queue))
            released.fulfill()
        }
        loop.queue.sync { old?.retire(for: next) }
        old = nil
        wait(for: [released], timeout: 5)
    }

    func testServerWideStateIsSharedAcrossGenerations() throws {
        let state = ServerWideState()
        let config = try ConfigLoader.load(
            text:
                "listen 127.0.0.1:0;\nupstream app { server 127.0.0.1:1; }\nlocation / { auth off; proxy_pass app; }\n",
            file: "gateway.conf")
        let upstreams = try config.upstreams.map(UpstreamTarget.init)
        let make = {
            ProxyShared(
                config: config, upstreams: upstreams, errorLog: Logger(label: "test"),
                health: HealthMonitor(upstreams: upstreams, interval: .seconds(60)), server: state)
        }
        let (old, new) = (make(), make())
        old.activeConnections.increment()
        XCTAssertEqual(new.activeConnections.load(), 1)
        state.startDraining()
        XCTAssertTrue(old.isDraining && new.isDraining)
    }
}
