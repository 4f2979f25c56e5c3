// The refresh-token grant (RFC 6749 §6), shared by OIDC and the OAuth 2 providers.
import GatewayOutbound
import Logging

/// One token endpoint and the client's registration there.
struct TokenRefreshRequest {
    var tokenURL: String
    var clientID: String
    var clientSecret: String?
    var authentication: OIDCClientAuthentication
    /// Fields some servers want besides the grant (Twitter's `client_id` with Basic).
    var extraFields: [(String, String)] = []
    /// The provider block's name, for log lines.
    var provider: String

    /// `grant_type=refresh_token` with the client's usual authentication; completes with the
    /// renewed tokens. Without a refresh token there is nothing to present: a refusal.
    func send(
        _ tokens: ProviderTokens, http: OutboundHTTP, now: @escaping @Sendable () -> Int64, logger: Logger?,
        completion: @escaping (Result<ProviderTokens, AuthError>) -> Void
    ) {
        guard let refreshToken = tokens.refreshToken else {
            completion(.failure(.providerError("invalid_grant")))
            return
        }
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)] + extraFields
        var headers = [("Accept", "application/json")]
        authentication.apply(clientID: clientID, clientSecret: clientSecret, fields: &fields, headers: &headers)
        http.send(.form(url: tokenURL, fields: fields, headers: headers)) { result in
            completion(Self.read(result, previous: tokens, now: now(), provider: provider, logger: logger))
        }
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
