// The refresh-token grant (RFC 6749 §6), shared by OIDC and the OAuth 2 providers.
import GatewayOutbound
import Logging

enum TokenRefreshRequest {
    /// `grant_type=refresh_token` at `tokenURL`, with the client's usual authentication
    /// (`extraFields` for servers that want more, such as Twitter's `client_id`).
    static func request(
        tokenURL: String, refreshToken: String, clientID: String, clientSecret: String?,
        authentication: OIDCClientAuthentication, extraFields: [(String, String)] = []
    ) -> OutboundRequest {
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)] + extraFields
        var headers = [("Accept", "application/json")]
        authentication.apply(clientID: clientID, clientSecret: clientSecret, fields: &fields, headers: &headers)
        return .form(url: tokenURL, fields: fields, headers: headers)
    }

    /// The renewed tokens: a new access token, the new refresh token (§6: the old one stays
    /// when none is returned) and the new expiry from `expires_in`.
    static func read(
        _ result: Result<OutboundResponse, OutboundHTTPError>, previous: ProviderTokens, now: Int64, provider: String,
        logger: Logger?
    ) -> Result<ProviderTokens, AuthError> {
        TokenResponse.read(result, provider: provider, logger: logger).flatMap { response in
            response.bearerToken().map { access in
                ProviderTokens(
                    accessToken: access, refreshToken: response.refreshToken ?? previous.refreshToken,
                    expiresAt: response.expiresAt(now: now))
            }
        }
    }
}
