// The provider's tokens in a session: kept at sign-in, sent (renewed first when due) on
// `pass_access_token` locations.
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

    /// Lets the request through with the access token headers, after a refresh when it is due.
    /// A refused refresh ends the session as an expiry does (302 or 401).
    func withProviderTokens(
        _ head: HTTPRequestHead, _ id: SessionID, _ record: SessionRecord, location: LocationConfig,
        completion: @escaping (GateDecision) -> Void
    ) {
        tokenRefresher.tokens(for: id, record: record) { [self] outcome in
            switch outcome {
            case .tokens(let tokens):
                completion(
                    .allow(
                        identityHeaders: IdentityHeaders.block(for: record, location: location, tokens: tokens),
                        session: SessionToken(id.value)))
            case .ended:
                sessions.delete(id) { _ in }
                completion(.answer(unauthenticated(head)))
            case .unavailable:
                completion(
                    .answer(
                        LocalResponse.error(
                            503, detail: "Your sign-in provider cannot renew access right now. Please retry shortly.",
                            for: head)))
            }
        }
    }
}
