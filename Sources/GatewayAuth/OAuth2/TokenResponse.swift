// The token endpoint's answer (RFC 6749 §5.1 and §5.2), read one way for every provider: OIDC,
// the OAuth 2 presets and Twitter's OAuth 2.
import GatewayOutbound
import Logging

/// A token response that is a JSON object and no error. Its description never shows a token.
struct TokenResponse: CustomStringConvertible {
    private let fields: JSONValue

    /// An unreachable endpoint is `tokenExchangeFailed(nil)`. An `error` member is the provider's
    /// error whatever the status (GitHub answers errors with 200; Facebook's `error` is an object
    /// whose `type` names it); any other status but 200 is `tokenExchangeFailed(status)`; a body
    /// that is not a JSON object is malformed.
    static func read(
        _ result: Result<OutboundResponse, OutboundHTTPError>, provider: String, logger: Logger?
    ) -> Result<TokenResponse, AuthError> {
        let response: OutboundResponse
        switch result {
        case .failure(let error):
            logger?.warning("token endpoint unreachable", metadata: ["provider": "\(provider)", "reason": "\(error)"])
            return .failure(.tokenExchangeFailed(status: nil))
        case .success(let r): response = r
        }
        let json = JSONValue.parse(response.body)
        if response.status != 200 {
            logger?.warning("token endpoint refused", metadata: ["provider": "\(provider)", "status": "\(response.status)"])
        }
        switch json?["error"] {
        case .string(let code)?: return .failure(.providerError(code))
        case .object(let details)?: return .failure(.providerError(details["type"]?.stringValue ?? "error"))
        default: break
        }
        guard response.status == 200 else { return .failure(.tokenExchangeFailed(status: response.status)) }
        guard let json, case .object = json else { return .failure(.malformedResponse("token response is not JSON")) }
        return .success(TokenResponse(fields: json))
    }

    /// `access_token`, which §7.1 lets a client use only as a type it understands: Bearer (some
    /// servers omit the type).
    func bearerToken() -> Result<String, AuthError> {
        guard let token = fields["access_token"]?.stringValue, !token.isEmpty else {
            return .failure(.malformedResponse("token response has no access_token"))
        }
        if let type = fields["token_type"]?.stringValue, type.lowercased() != "bearer" {
            return .failure(.malformedResponse("token type is not Bearer"))
        }
        return .success(token)
    }

    /// The OIDC ID token, when there is one.
    var idToken: String? { fields["id_token"]?.stringValue }

    /// `access_token` as it is, for OIDC's userinfo call.
    var accessToken: String? { fields["access_token"]?.stringValue }

    /// `refresh_token`, when the server issued one.
    var refreshToken: String? { fields["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }

    /// `now + expires_in`, when the server gives a positive lifetime (a number, or a numeric
    /// string as some servers send).
    func expiresAt(now: Int64) -> Int64? {
        let seconds: Double?
        switch fields["expires_in"] {
        case .number(let n)?: seconds = n
        case .string(let s)?: seconds = Double(s)
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0, seconds < 1e10 else { return nil }
        return now + Int64(seconds)
    }

    /// `scope`, when the server says what it granted.
    var scope: String? { fields["scope"]?.stringValue }

    var description: String { "TokenResponse(scope: \(scope ?? "as requested"))" }
}
