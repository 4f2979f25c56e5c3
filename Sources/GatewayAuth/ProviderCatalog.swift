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
        default: return []
        }
    }

    /// A provider on `queue`, calling out through `http`.
    public static func make(
        _ config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?
    ) throws -> SignInProvider {
        switch config.type {
        case .oidc: return OIDCProvider(config: config, http: http, queue: queue, logger: logger)
        case .github: throw unavailable(config)
        case .facebook: throw unavailable(config)
        case .oauth2: throw unavailable(config)
        case .twitter: throw unavailable(config)
        case .google: throw unavailable(config)
        case .gitlab: throw unavailable(config)
        case .microsoft: throw unavailable(config)
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
