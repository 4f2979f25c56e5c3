// An OpenID provider served from memory through `OutboundHTTP`: discovery, JWKS, token, userinfo.
// It checks what a real one checks: the PKCE verifier, client authentication and redirect_uri.
import Dispatch
import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayOutbound

/// Answers on `queue`, asynchronously, like the libcurl client. State is touched only on `queue`
/// (tests read it through `queue.sync`).
final class FakeIdentityProvider: OutboundHTTP, @unchecked Sendable {
    let queue: DispatchQueue
    /// Every URL it serves starts with this; presets' tests set their real issuer here.
    let issuer: String
    let clientID = "gateway client"
    let clientSecret = "s3cret:+/ value"
    let accessToken = "access-token-7f3a"

    /// `client_secret_basic` or `client_secret_post`: what the token endpoint insists on.
    var expectedClientAuth = "client_secret_basic"
    /// Discovery answers 503 this many more times.
    var discoveryFailuresLeft = 0
    /// The issuer written into the discovery document.
    var advertisedIssuer: String?
    /// Signs ID tokens.
    var signingKey = TestSigningKey.rsa1
    /// Published in the JWKS.
    var publishedKeys: [TestSigningKey] = [.rsa1]
    /// Edits the ID token's claims before signing (nil values remove a claim).
    var idTokenOverrides: [String: JSONValue?] = [:]
    /// The userinfo document's members besides `sub`; `sub` itself can be overridden.
    var userinfo: [String: JSONValue] = ["email": "info@example.com", "email_verified": true, "name": "Info Name"]
    var userinfoSubject: String?

    private(set) var hits: [String: Int] = [:]
    private var codes: [String: (challenge: String, redirectURI: String, nonce: String)] = [:]
    private var nextCode = 0

    init(queue: DispatchQueue, issuer: String = "https://idp.example.test/tenant") {
        self.queue = queue
        self.issuer = issuer
    }

    func count(_ path: String) -> Int { hits[path, default: 0] }

    /// What the browser does at the authorization endpoint: the IdP remembers the challenge,
    /// redirect_uri and nonce for the code it hands out.
    func authorize(_ url: String) -> String? {
        guard let components = URLComponents(string: url), components.path.hasSuffix("/authorize") else { return nil }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value }
        guard query["response_type"] == "code", query["client_id"] == clientID,
            query["code_challenge_method"] == "S256",
            let challenge = query["code_challenge"], let redirectURI = query["redirect_uri"],
            let nonce = query["nonce"],
            query["state"] != nil, query["scope"]?.split(separator: " ").contains("openid") == true
        else { return nil }
        nextCode += 1
        let code = "code-\(nextCode)"
        codes[code] = (challenge, redirectURI, nonce)
        return code
    }

    func send(_ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void) {
        let path = String(request.url.dropFirst(issuer.count))
        hits[path, default: 0] += 1
        let response = respond(path: path, request: request)
        // Later, like a real transfer; the callback is queue-bound, not Sendable.
        let deliver = QueueBound { completion(.success(response)) }
        queue.async { deliver.run() }
    }

    private func respond(path: String, request: OutboundRequest) -> OutboundResponse {
        switch path {
        case "/.well-known/openid-configuration":
            if discoveryFailuresLeft > 0 {
                discoveryFailuresLeft -= 1
                return Self.json(503, ["error": "temporarily_unavailable"])
            }
            return Self.json(
                200,
                [
                    "issuer": .string(advertisedIssuer ?? issuer),
                    "authorization_endpoint": .string(issuer + "/authorize?tenant=t1"),
                    "token_endpoint": .string(issuer + "/token"),
                    "userinfo_endpoint": .string(issuer + "/userinfo"),
                    "jwks_uri": .string(issuer + "/jwks"),
                    "code_challenge_methods_supported": ["S256"],
                ])
        case "/jwks":
            return OutboundResponse(status: 200, headers: [], body: JOSETest.jwks(publishedKeys.map { $0.jwk() }))
        case "/token":
            return token(request)
        case "/userinfo":
            guard request.headers.contains(where: { $0.0 == "Authorization" && $0.1 == "Bearer " + accessToken }) else {
                return Self.json(401, ["error": "invalid_token"])
            }
            var document = userinfo
            document["sub"] = .string(userinfoSubject ?? "248289761001")
            return Self.json(200, .object(document))
        default:
            return Self.json(404, [:])
        }
    }

    private func token(_ request: OutboundRequest) -> OutboundResponse {
        let form = Self.formDecode(request.body ?? [])
        let authorization = request.headers.first { $0.0.lowercased() == "authorization" }?.1
        switch expectedClientAuth {
        case "client_secret_basic":
            guard form["client_secret"] == nil, let authorization, authorization.hasPrefix("Basic "),
                let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
                let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
                Self.formDecodeComponent(String(pair[..<colon])) == clientID,
                Self.formDecodeComponent(String(pair[pair.index(after: colon)...])) == clientSecret
            else { return Self.json(401, ["error": "invalid_client"]) }
        default:
            guard authorization == nil, form["client_id"] == clientID, form["client_secret"] == clientSecret else {
                return Self.json(401, ["error": "invalid_client"])
            }
        }
        guard request.method == "POST", form["grant_type"] == "authorization_code", let code = form["code"],
            let issued = codes.removeValue(forKey: code), form["redirect_uri"] == issued.redirectURI,
            let verifier = form["code_verifier"], PKCE.challenge(for: verifier) == issued.challenge
        else {
            return Self.json(400, ["error": "invalid_grant", "error_description": "bad code, verifier or redirect"])
        }

        let now = Date().timeIntervalSince1970
        var claims = JOSETest.claims(now: now, nonce: issued.nonce).objectValue!
        claims["iss"] = .string(issuer)
        claims["aud"] = .string(clientID)
        for (key, value) in idTokenOverrides { claims[key] = value }
        return Self.json(
            200,
            [
                "access_token": .string(accessToken), "token_type": "Bearer", "expires_in": 3600,
                "id_token": .string(signingKey.token(.object(claims))),
            ])
    }

    static func json(_ status: Int, _ value: JSONValue) -> OutboundResponse {
        OutboundResponse(
            status: status, headers: [("Content-Type", "application/json")], body: Array(value.serialized.utf8))
    }

    static func formDecode(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[formDecodeComponent(String(parts[0]))] = parts.count > 1 ? formDecodeComponent(String(parts[1])) : ""
        }
        return fields
    }

    static func formDecodeComponent(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

/// A closure that is only ever run on the queue it was made on.
private struct QueueBound: @unchecked Sendable {
    let run: () -> Void
}
