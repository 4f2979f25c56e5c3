// Why a sign-in failed. Descriptions are safe to log: never a token, code, verifier or secret.

public struct AuthError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case notReady
        case stateMismatch
        case providerDenied(String)
        case tokenExchangeFailed(status: Int?)
        case providerError(String)
        case malformedResponse(String)
        case keysUnavailable
        case invalidIDToken(JWTError)
        case userinfoFailed(String)
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// Discovery has not succeeded yet: the provider's endpoints are unknown.
    public static let notReady = AuthError(.notReady)
    /// The callback's `state` is not the one this browser was sent with.
    public static let stateMismatch = AuthError(.stateMismatch)
    /// The callback carried `error=...` (the user denied, or the provider refused).
    public static func providerDenied(_ code: String) -> AuthError { AuthError(.providerDenied(printable(code))) }
    /// The token endpoint answered with an unexpected status, or (nil) could not be reached.
    public static func tokenExchangeFailed(status: Int?) -> AuthError {
        AuthError(.tokenExchangeFailed(status: status))
    }
    /// The token endpoint answered with an OAuth `error` code (`invalid_grant`, ...).
    public static func providerError(_ code: String) -> AuthError { AuthError(.providerError(printable(code))) }
    /// A provider response that is not what the protocol requires; `reason` is a fixed phrase.
    public static func malformedResponse(_ reason: String) -> AuthError { AuthError(.malformedResponse(reason)) }
    /// The JWKS could not be fetched and no keys are cached.
    public static let keysUnavailable = AuthError(.keysUnavailable)
    public static func invalidIDToken(_ reason: JWTError) -> AuthError { AuthError(.invalidIDToken(reason)) }
    /// The userinfo call failed; `reason` is a fixed phrase (status, transport, sub mismatch).
    public static func userinfoFailed(_ reason: String) -> AuthError { AuthError(.userinfoFailed(reason)) }

    /// The token endpoint refused the grant (`invalid_grant`): a refresh token that is revoked,
    /// expired or already used. The session it belongs to is over.
    public var refusesGrant: Bool { base == .providerError("invalid_grant") }

    /// The provider did not answer (refused, timed out, no keys to check with): nothing about
    /// the user was refused, and a retry in a moment may work.
    public var isUnreachable: Bool { base == .tokenExchangeFailed(status: nil) || base == .keysUnavailable }

    /// The ID-token rule that failed, for `invalidIDToken`.
    public var idTokenError: JWTError? {
        if case .invalidIDToken(let e) = base { return e }
        return nil
    }

    /// A fixed word for what failed: the `outcome` label of `gateway_sign_ins_total`.
    public var outcome: String {
        switch base {
        case .notReady: "not_ready"
        case .stateMismatch: "state_mismatch"
        case .providerDenied: "denied"
        case .tokenExchangeFailed, .providerError, .malformedResponse: "token_error"
        case .keysUnavailable, .invalidIDToken: "id_token_error"
        case .userinfoFailed: "profile_error"
        }
    }

    public var description: String {
        switch base {
        case .notReady: "the identity provider is not ready (discovery has not succeeded)"
        case .stateMismatch: "state does not match this browser's sign-in"
        case .providerDenied(let code): "the identity provider returned error \"\(code)\""
        case .tokenExchangeFailed(status: let status?): "token endpoint answered HTTP \(status)"
        case .tokenExchangeFailed(status: nil): "token endpoint could not be reached"
        case .providerError(let code): "token endpoint returned error \"\(code)\""
        case .malformedResponse(let reason): "malformed provider response: \(reason)"
        case .keysUnavailable: "the provider's signing keys (JWKS) are unavailable"
        case .invalidIDToken(let reason): "invalid ID token: \(reason)"
        case .userinfoFailed(let reason): "userinfo failed: \(reason)"
        }
    }

    /// OAuth error codes are short ASCII (RFC 6749 §5.2); anything else is cut down before logging.
    private static func printable(_ code: String) -> String {
        let kept = code.unicodeScalars.prefix(48).map { s -> Character in
            let ok =
                s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "_-.".unicodeScalars.contains(s))
            return ok ? Character(s) : "?"
        }
        return String(kept)
    }
}
