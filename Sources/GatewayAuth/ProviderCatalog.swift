// Makes the SignInProvider for a `provider` block, by its type.
import Dispatch
import GatewayConfig
import Logging

public enum ProviderCatalog {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// What is wrong with the block for its type (empty when usable), for startup messages.
    public static func problems(in config: ProviderConfig) -> [String] {
        switch config.type {
        case .oidc: return OIDCProvider.problems(in: config)
        case .google: return OIDCProvider.problems(in: config)
        case .gitlab: return OIDCProvider.problems(in: config)
        case .microsoft: return OIDCProvider.problems(in: config)
        case .github: return GitHubProvider.problems(in: config)
        case .facebook: return FacebookProvider.problems(in: config)
        case .oauth2: return GenericOAuth2Provider.problems(in: config)
        case .twitter:
            return config.useOAuth2
                ? TwitterOAuth2Provider.problems(in: config) : TwitterOAuth1Provider.problems(in: config)
        }
    }

    /// A provider on `queue`, calling out through `http`.
    public static func make(
        _ config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?
    ) throws -> SignInProvider {
        switch config.type {
        case .oidc: return OIDCProvider(config: config, http: http, queue: queue, logger: logger)
        case .github: return GitHubProvider(config: config, http: http, queue: queue, logger: logger)
        case .facebook: return FacebookProvider(config: config, http: http, queue: queue, logger: logger)
        case .oauth2: return GenericOAuth2Provider(config: config, http: http, queue: queue, logger: logger)
        case .twitter where config.useOAuth2:
            return TwitterOAuth2Provider(config: config, http: http, queue: queue, logger: logger)
        case .twitter: return TwitterOAuth1Provider(config: config, http: http, queue: queue, logger: logger)
        case .google: return OIDCProvider(config: config, http: http, queue: queue, logger: logger)
        case .gitlab: return OIDCProvider(config: config, http: http, queue: queue, logger: logger)
        case .microsoft: return OIDCProvider(config: config, http: http, queue: queue, logger: logger)
        }
    }

    /// Starts background work (OIDC discovery); call on the provider's queue.
    public static func start(_ provider: SignInProvider) {
        (provider as? OIDCProvider)?.start()
    }

    private static func unavailable(_ config: ProviderConfig) -> Unavailable {
        Unavailable(description: "type \"\(config.type.rawValue)\" is not available in this build")
    }
}
