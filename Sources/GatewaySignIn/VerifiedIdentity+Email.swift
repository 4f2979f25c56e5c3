// Sign-in's one email rule, applied to what a provider returns before anything else sees it.
import GatewayAuth
import GatewaySessions

extension VerifiedIdentity {
    /// This identity with its email normalised, or without an email (and unverified) when the
    /// address is refused. Sign-in applies it once, so every store, rule and header after it
    /// sees only normalised addresses.
    func normalizingEmail() -> VerifiedIdentity {
        var copy = self
        copy.email = EmailAddress.normalized(email)
        if copy.email == nil { copy.emailVerified = false }
        return copy
    }
}
