// OIDC discovery through OIDCProvider: retries with backoff while the issuer is down, and never
// trusting a document for another issuer.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import GatewayTestSupport
import XCTest

final class OIDCDiscoveryTests: OIDCTestCase {
    func testDiscoveryRetriesWhileTheIssuerIsDownThenBecomesReady() {
        idp.discoveryFailuresLeft = 3
        var timing = OIDCTiming()
        timing.discoveryInitialBackoff = .milliseconds(20)
        timing.discoveryMaxBackoff = .milliseconds(50)
        let provider = makeProvider(timing: timing)
        queue.sync { provider.start() }
        XCTAssertFalse(queue.sync { provider.isReady })
        XCTAssertEqual(redeemWithoutAuthorizing(provider), .failure(.notReady))
        startAndWaitUntilReady(provider)
        XCTAssertEqual(queue.sync { provider.discovery.attempts }, 4)
        XCTAssertEqual(count("/.well-known/openid-configuration"), 4)
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
    }

    func testDiscoveryBackoffDoublesFromOneSecondUpToThirty() {
        let delays = (1...7).map {
            OIDCDiscovery.backoff(afterFailures: $0, initial: .seconds(1), maximum: .seconds(30))
        }
        XCTAssertEqual(
            delays, [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
        let defaults = OIDCTiming()
        XCTAssertEqual(defaults.discoveryInitialBackoff, .seconds(1))
        XCTAssertEqual(defaults.discoveryMaxBackoff, .seconds(30))
        XCTAssertEqual(defaults.jwksMinimumRefetchInterval, .seconds(30))
        XCTAssertEqual(defaults.clockSkew, .seconds(60))
    }

    func testDiscoveryDocumentForAnotherIssuerIsNeverUsed() {
        idp.advertisedIssuer = "https://attacker.example.test"
        var timing = OIDCTiming()
        timing.discoveryInitialBackoff = .milliseconds(10)
        timing.discoveryMaxBackoff = .milliseconds(10)
        let provider = makeProvider(timing: timing)
        queue.sync { provider.start() }
        XCTAssertTrue(waitUntil(timeout: 5) { queue.sync { provider.discovery.attempts } > 2 }, "keeps retrying")
        XCTAssertFalse(queue.sync { provider.isReady })
        XCTAssertEqual(count("/jwks"), 0)
    }
}
