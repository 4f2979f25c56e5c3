// Shared setup for the OIDC provider suites: an in-memory IdP, a hand-moved clock, and helpers
// that drive the provider on its loop queue.
import Dispatch
import Foundation
import GatewayAuth
import GatewayConfig
import GatewayTestSupport
import XCTest

/// A monotonic clock the test moves by hand.
final class OIDCTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 1_000_000_000_000

    func now() -> UInt64 { lock.withLock { nanoseconds } }
    func advance(seconds: UInt64) { lock.withLock { nanoseconds += seconds * 1_000_000_000 } }
}

/// Carries a callback's result from the loop queue to the test thread (the expectation orders them).
final class OIDCResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Subclassed by the OIDC suites; holds no tests itself.
class OIDCTestCase: XCTestCase {
    let queue = DispatchQueue(label: "oidc-test-loop")
    let redirectURI = "https://gateway.example.com/auth/corp/callback"
    let clock = OIDCTestClock()
    var idp: FakeIdentityProvider!

    override func setUp() {
        idp = FakeIdentityProvider(queue: queue)
    }

    /// The fake IdP's client, with OIDC's default scopes and `token_auth`.
    var client: OAuthClientSettings {
        OAuthClientSettings(
            clientID: idp.clientID, clientSecret: idp.clientSecret, tokenAuth: OIDCSettings.defaultTokenAuth,
            scopes: OIDCSettings.defaultScopes)
    }

    /// `timing` with the test clock as its monotonic clock.
    private func testTiming(_ timing: OIDCTiming?) -> OIDCTiming {
        var t = timing ?? OIDCTiming()
        let clock = self.clock
        t.monotonicClock = { clock.now() }
        return t
    }

    /// A `type oidc` block named `corp` at the fake IdP's issuer.
    func makeProvider(timing: OIDCTiming? = nil, _ adjust: (inout OIDCSettings) -> Void = { _ in }) -> OIDCProvider {
        var settings = OIDCSettings(issuer: idp.issuer, client: client)
        adjust(&settings)
        return OIDCProvider(
            name: "corp", displayName: "Corp", settings: settings, http: idp, queue: queue, timing: testTiming(timing))
    }

    /// A `google`, `gitlab` or `microsoft` block (named after its type, with its preset's button
    /// text) whose HTTP goes to the fake IdP; the fake must serve the preset's issuer. `issuer`
    /// and `tenant` are the block's options (nil: the preset's default).
    func makePresetProvider(
        _ type: ProviderType, issuer: String? = nil, tenant: String? = nil, timing: OIDCTiming? = nil
    ) -> OIDCProvider {
        let displayName = ["google": "Google", "gitlab": "GitLab", "microsoft": "Microsoft"][type.rawValue]!
        if type == .microsoft {
            let settings = MicrosoftSettings(
                tenant: tenant.map { MicrosoftTenant($0)! } ?? MicrosoftSettings.defaultTenant,
                loginURL: issuer ?? MicrosoftSettings.defaultLoginURL, client: client)
            return OIDCProvider(
                name: type.rawValue, displayName: displayName, microsoft: settings, http: idp, queue: queue,
                timing: testTiming(timing))
        }
        let preset = OIDCPreset(type)!
        let settings = OIDCSettings(
            issuer: issuer ?? (preset == .google ? OIDCSettings.googleIssuer : OIDCSettings.gitlabIssuer),
            client: client)
        return OIDCProvider(
            name: type.rawValue, displayName: displayName, settings: settings, preset: preset, http: idp, queue: queue,
            timing: testTiming(timing))
    }

    /// Starts discovery with fast retries, waits a little, and says whether it ever succeeded.
    func becomesReadyQuickly(_ provider: OIDCProvider) -> Bool {
        queue.sync { provider.start() }
        return waitUntil(timeout: 0.3, interval: 0.005) { queue.sync { provider.isReady } }
    }

    func startAndWaitUntilReady(_ provider: OIDCProvider, timeout: TimeInterval = 5) {
        queue.sync { provider.start() }
        guard waitUntil(timeout: timeout, interval: 0.005, { queue.sync { provider.isReady } }) else {
            return XCTFail("provider never became ready")
        }
        queue.sync {}  // let the JWKS warm-up request be sent
    }

    /// Begins a sign-in, lets the fake IdP "authorize" it, and redeems the code.
    func signIn(
        _ provider: OIDCProvider, tamper: (@Sendable (inout AuthorizationRequest) -> Void)? = nil, line: UInt = #line
    ) -> Result<VerifiedIdentity, AuthError>? {
        let box = OIDCResultBox<Result<VerifiedIdentity, AuthError>>()
        let done = expectation(description: "redeem")
        queue.async { [idp = idp!, redirectURI] in
            var request = provider.beginAuthorization()
            guard let url = provider.authorizationURL(for: request, redirectURI: redirectURI),
                let code = idp.authorize(url)
            else {
                XCTFail("authorization failed", line: line)
                return done.fulfill()
            }
            tamper?(&request)
            provider.redeem(code: code, request: request, redirectURI: redirectURI) { result in
                box.value = result
                done.fulfill()
            }
        }
        wait(for: [done], timeout: 10)
        return box.value
    }

    func redeemWithoutAuthorizing(_ provider: OIDCProvider) -> Result<VerifiedIdentity, AuthError>? {
        let box = OIDCResultBox<Result<VerifiedIdentity, AuthError>>()
        queue.sync { [redirectURI] in
            provider.redeem(code: "c", request: .generate(), redirectURI: redirectURI) { box.value = $0 }
        }
        return box.value
    }

    func count(_ path: String) -> Int { queue.sync { idp.count(path) } }
}

extension Result where Failure == AuthError {
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
