// RP-Initiated Logout 1.0 (§2): the URL that asks the provider to end the user's session.

extension OIDCProvider {
    /// `end_session_endpoint` with `id_token_hint` (when the session kept it), `client_id`,
    /// `post_logout_redirect_uri` and `state`; nil until discovery found such an endpoint.
    public func endSessionURL(idTokenHint: String?, postLogoutRedirectURI: String, state: String) -> String? {
        guard let endpoint = discovery.metadata?.endSessionEndpoint else { return nil }
        var fields: [(String, String)] = []
        if let idTokenHint { fields.append(("id_token_hint", idTokenHint)) }
        fields += [("client_id", clientID), ("post_logout_redirect_uri", postLogoutRedirectURI), ("state", state)]
        return endpoint + (endpoint.contains("?") ? "&" : "?") + OIDCURLEncoding.query(fields)
    }
}
