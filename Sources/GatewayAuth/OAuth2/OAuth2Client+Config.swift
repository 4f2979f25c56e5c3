// An OAuth2Client from a provider's validated client settings.
import GatewayConfig
import GatewayOutbound
import Logging

extension OAuth2Client {
    /// A client for the block `name`, at the endpoints its settings name.
    init(
        name: String, client: OAuthClientSettings, authorizeURL: String, tokenURL: String, http: OutboundHTTP,
        logger: Logger?
    ) {
        self.init(
            providerName: name, authorizeURL: authorizeURL, tokenURL: tokenURL, clientID: client.clientID,
            clientSecret: client.clientSecret, scopes: Self.scopeList(client.scopes.joined(separator: " ")),
            clientAuthentication: client.tokenAuth, http: http, logger: logger)
    }
}
