// JWKS caching through OIDCProvider: a rotated key is fetched once, refetches are rate-limited,
// and concurrent sign-ins share one fetch.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import XCTest

final class OIDCKeyRotationTests: OIDCTestCase {
    func testRotatedKeyIsFetchedOnceAndRefetchesAreRateLimited() throws {
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
        XCTAssertEqual(count("/jwks"), 1)

        // The IdP rotates to a new key. Long after the last fetch, the unknown kid refetches.
        idp.signingKey = .rsa2
        idp.publishedKeys = [.rsa2, .ec1]
        clock.advance(seconds: 31)
        XCTAssertNoThrow(try XCTUnwrap(signIn(provider)).get())
        XCTAssertEqual(count("/jwks"), 2)

        // It rotates again at once: no refetch within 30 s, so the new kid is unknown.
        let rotated = TestSigningKey(.p256, kid: "ec-2")
        idp.signingKey = rotated
        idp.publishedKeys = [rotated]
        clock.advance(seconds: 29)
        XCTAssertEqual(signIn(provider), .failure(.invalidIDToken(.unknownKeyID("ec-2"))))
        XCTAssertEqual(count("/jwks"), 2)

        clock.advance(seconds: 1)
        XCTAssertEqual(try XCTUnwrap(signIn(provider)).get().subject, "248289761001")
        XCTAssertEqual(count("/jwks"), 3)
    }

    func testConcurrentSignInsWithANewKidShareOneFetch() {
        let provider = makeProvider()
        startAndWaitUntilReady(provider)
        XCTAssertEqual(count("/jwks"), 1)
        idp.signingKey = .rsa2
        idp.publishedKeys = [.rsa1, .rsa2]
        clock.advance(seconds: 60)

        let results = OIDCResultBox<[Result<VerifiedIdentity, AuthError>]>()
        results.value = []
        let done = expectation(description: "three redeems")
        done.expectedFulfillmentCount = 3
        queue.async { [idp = idp!, redirectURI] in
            for _ in 0..<3 {
                let request = provider.beginAuthorization()
                let code = idp.authorize(provider.authorizationURL(for: request, redirectURI: redirectURI)!)!
                provider.redeem(code: code, request: request, redirectURI: redirectURI) { result in
                    results.value!.append(result)
                    done.fulfill()
                }
            }
        }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(results.value?.count, 3)
        for result in results.value ?? [] { XCTAssertNoThrow(try result.get()) }
        XCTAssertEqual(count("/jwks"), 2)
    }
}
