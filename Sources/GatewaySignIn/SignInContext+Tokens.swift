// The provider's tokens in a session: kept at sign-in, sent (renewed first when due) on
// `pass_access_token` locations, by the gate and by /auth/verify alike.
import GatewayAuth
import GatewayConfig
import GatewayHTTP
import GatewayProxy
import GatewaySessions

extension SignInContext {
    /// Seals the sign-in's tokens into the new session, when some location sends them.
    func keepTokens(of identity: VerifiedIdentity, in record: inout SessionRecord, for id: SessionID) {
        guard keepsProviderTokens, let tokens = identity.tokens else { return }
        tokenVault.keep(tokens, in: &record, for: id, now: now())
    }

    /// Runs `then` with the tokens the location sends (nil without `pass_access_token`, or when
    /// the session has none), after a refresh when they are due. A refused refresh ends the
    /// session (`onEnded`, answered as an expiry); an expired token that cannot be renewed now
    /// is a 503 through `answer`.
    func withProviderTokens(
        _ head: HTTPRequestHead, _ id: SessionID, _ record: SessionRecord, location: LocationConfig,
        answer: @escaping (LocalResponse) -> Void, onEnded: @escaping () -> Void,
        then: @escaping (ProviderTokens?) -> Void
    ) {
        guard location.passAccessToken else { return then(nil) }
        tokenRefresher.tokens(for: id, record: record) { [self] outcome in
            switch outcome {
            case .tokens(let tokens):
                then(tokens)
            case .ended:
                sessions.delete(id) { _ in }
                onEnded()
            case .unavailable:
                answer(
                    LocalResponse.error(
                        503, detail: "Your sign-in provider cannot renew access right now. Please retry shortly.",
                        for: head))
            }
        }
    }
}
