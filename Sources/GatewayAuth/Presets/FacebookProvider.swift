// `provider facebook`: Facebook Login's OAuth 2.0 flow and the Graph API's `/me`.
import Dispatch
import GatewayConfig
import GatewayCrypto
import GatewayOutbound
import Logging

/// Signs users in with Facebook Login: the authorization-code flow with PKCE S256, then
/// `GET /me?fields=id,name,email` on the Graph API.
///
/// Which emails count as verified: every email Facebook returns. The Graph API has no
/// `email_verified` field because it needs none: `/me` returns the account's primary email
/// only once its owner has confirmed it, and omits the field when there is no confirmed
/// address (an account registered with a phone number) or when the user declined the `email`
/// permission in the dialog. So a returned email is verified, and a missing one gives an
/// identity without email, which signs in but never links to another user.
///
/// The `/me` call carries `appsecret_proof` (HMAC-SHA256 of the token under the app secret),
/// which Facebook checks when present and requires under "Require App Secret".
///
/// Built from `FacebookSettings` (`client_id` is the app id; defaults there: scopes
/// `email public_profile`, `token_auth client_secret_post`, the Graph API's URLs).
///
/// `Sendable`: it holds only constants. Calls and completions happen on `queue`.
public final class FacebookProvider: OAuth2SignInProvider, Sendable {
    public let name: String
    public let displayName: String
    public let client: OAuth2Client
    /// The Graph API base, without a trailing slash.
    public let apiURL: String
    public let queue: DispatchQueue
    public var isReady: Bool { true }

    public init(
        name: String, displayName: String, settings: FacebookSettings, http: OutboundHTTP, queue: DispatchQueue,
        logger: Logger?
    ) {
        self.name = name
        self.displayName = displayName
        client = OAuth2Client(
            name: name, client: settings.client, authorizeURL: settings.authorizeURL, tokenURL: settings.tokenURL,
            http: http, logger: logger)
        apiURL = OAuth2Client.join(settings.apiURL, "")
        self.queue = queue
    }

    func fetchIdentity(token: OAuth2AccessToken, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void) {
        client.getJSON(meURL(token: token), token: token, label: "/me") { result in
            completion(result.flatMap { self.identity(me: $0.json) })
        }
    }

    /// `/me` with the fields we read and the token's `appsecret_proof`.
    func meURL(token: OAuth2AccessToken) -> String {
        var url = apiURL + "/me?fields=id,name,email"
        if let secret = client.clientSecret, !secret.isEmpty {
            url += "&appsecret_proof=" + Self.appSecretProof(token: token.value, secret: secret)
        }
        return url
    }

    /// Lowercase hex HMAC-SHA256 of the access token, keyed with the app secret.
    static func appSecretProof(token: String, secret: String) -> String {
        let mac = MessageAuthentication.hmacSHA256(key: Array(secret.utf8), message: Array(token.utf8))
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: mac.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// A returned email is a confirmed one (see the type's documentation).
    func identity(me: JSONValue) -> Result<VerifiedIdentity, AuthError> {
        guard let subject = OAuth2ClaimMapping.string(me["id"]) else {
            return .failure(.userinfoFailed("/me: no \"id\" member"))
        }
        let email = me["email"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return .success(
            VerifiedIdentity(
                provider: name, subject: subject, email: email, emailVerified: email != nil, login: nil,
                name: me["name"]?.stringValue))
    }
}
