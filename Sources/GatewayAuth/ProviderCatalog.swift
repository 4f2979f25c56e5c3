// Makes the SignInProvider for a validated `provider` block, by its settings.
import Dispatch
import GatewayConfig
import GatewayOutbound
import Logging

public enum ProviderCatalog {
    /// A provider on `queue`, calling out through `http`. Every rule of the block was checked
    /// by the config validator; what is left to fail here is what only start-up can find.
    public static func make(
        _ config: ProviderConfig, http: OutboundHTTP, queue: DispatchQueue, logger: Logger?
    ) throws -> SignInProvider {
        let (name, displayName) = (config.name, config.displayName)
        switch config.settings {
        case .oidc(let settings):
            return OIDCProvider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        case .google(let settings):
            return OIDCProvider(
                name: name, displayName: displayName, settings: settings, preset: .google, http: http, queue: queue,
                logger: logger)
        case .gitlab(let settings):
            return OIDCProvider(
                name: name, displayName: displayName, settings: settings, preset: .gitlab, http: http, queue: queue,
                logger: logger)
        case .microsoft(let settings):
            return OIDCProvider(
                name: name, displayName: displayName, microsoft: settings, http: http, queue: queue, logger: logger)
        case .github(let settings):
            return GitHubProvider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        case .facebook(let settings):
            return FacebookProvider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        case .twitter(let settings):
            return TwitterOAuth1Provider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        case .twitterOAuth2(let settings):
            return TwitterOAuth2Provider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        case .oauth2(let settings):
            return GenericOAuth2Provider(
                name: name, displayName: displayName, settings: settings, http: http, queue: queue, logger: logger)
        }
    }

    /// Starts background work (OIDC discovery); call on the provider's queue.
    public static func start(_ provider: SignInProvider) {
        (provider as? OIDCProvider)?.start()
    }
}
