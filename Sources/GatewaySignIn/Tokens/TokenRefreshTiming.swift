// When an access token is due for renewal: shortly before it expires, and from then on.

enum TokenRefreshTiming {
    /// The longest head start a refresh takes before the expiry.
    static let maximumMargin: Int64 = 60

    /// Due once the token has at most a quarter of its lifetime left (at least 1 s, at most
    /// `maximumMargin`), so that a short-lived token is not renewed on every request.
    /// `issuedAt`: when the tokens were received. A token without an expiry is never due.
    static func isDue(expiresAt: Int64?, issuedAt: Int64, now: Int64) -> Bool {
        guard let expiresAt else { return false }
        let margin = min(maximumMargin, max(1, (expiresAt - issuedAt) / 4))
        return expiresAt - now <= margin
    }
}
