// The assembly's part for `accept bearer` verifiers and the signed identity assertion.
import GatewayAuth
import GatewayConfig
import GatewayCore
import GatewayOutbound
import GatewayProxy
import GatewaySignIn
import Logging

extension SignInAssembly {
    /// The assertion's key, once for every loop: the PEM file, else derived from `cookie_secret`
    /// (so every instance with the same secret signs with the same key). Nil when no location
    /// sends the assertion.
    static func assertionKey(_ config: GatewayConfiguration) throws -> ES256SigningKey? {
        let wanted = config.identityAssertion || config.locations.contains { $0.identityAssertion == true }
        guard wanted else { return nil }
        do throws(JWTError) {
            if let file = config.identityAssertionKeyFile {
                switch ConfigFileSystem.readFile(file) {
                case .success(let pem): return try ES256SigningKey(pem: pem)
                case .failure(let failure): throw .invalidKey("cannot be read: \(failure.reason)")
                }
            }
            guard let secret = config.session.cookieSecret else { return nil }
            return try ES256SigningKey(derivedFrom: secret)
        } catch {
            let file = config.identityAssertionKeyFile ?? "cookie_secret"
            throw GatewayServer.StartupError(description: "identity_assertion_key \"\(file)\": \(error)")
        }
    }

    /// One verifier per distinct issuer and audience, on `loop`, calling out through `http`.
    /// Started with the loop's other starters; each generation discovers anew.
    static func bearerVerifiers(
        _ config: GatewayConfiguration, http: OutboundHTTP, loop: EventLoop, log: Logger,
        limits: [String: RefetchLimit]
    ) -> [BearerConfig: BearerTokenVerifier] {
        var made: [BearerConfig: BearerTokenVerifier] = [:]
        for case let bearer? in config.locations.map(\.bearer) where made[bearer] == nil {
            made[bearer] = BearerTokenVerifier(
                issuer: bearer.issuer, audience: bearer.audience, http: http, queue: loop.queue, logger: log,
                sharedLimit: limits[bearer.issuer])
        }
        return made
    }

    /// One refetch budget per issuer, shared by every loop's verifiers of it.
    static func refetchLimits(_ config: GatewayConfiguration) -> [String: RefetchLimit] {
        var limits: [String: RefetchLimit] = [:]
        for case let bearer? in config.locations.map(\.bearer) where limits[bearer.issuer] == nil {
            limits[bearer.issuer] = RefetchLimit(interval: BearerTokenVerifier.refetchInterval)
        }
        return limits
    }

    /// Hooks both into a loop's context; returns what starts the verifiers on that loop.
    static func attachIdentity(
        to context: SignInContext, config: GatewayConfiguration, key: ES256SigningKey?, http: OutboundHTTP,
        loop: EventLoop, log: Logger, limits: [String: RefetchLimit]
    ) -> () -> Void {
        if let key, let publicURL = config.publicURL {
            context.assertion = IdentityAssertion(
                key: key, audience: publicURL.description, enabledByDefault: config.identityAssertion)
        }
        context.bearerVerifiers = bearerVerifiers(config, http: http, loop: loop, log: log, limits: limits)
        let verifiers = Array(context.bearerVerifiers.values)
        return { for verifier in verifiers { verifier.start() } }
    }
}
