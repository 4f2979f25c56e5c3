// Calls to a provider's API (userinfo, GitHub's /user, Facebook's /me) with the access token.
import GatewayOutbound

extension OAuth2Client {
    /// A JSON answer to an API call, with the response for its headers (`Link` for paging).
    public struct APIResponse: Sendable {
        public var json: JSONValue
        public var response: OutboundResponse
    }

    /// GETs `url` with `Authorization: Bearer`, `accept` and a User-Agent, and parses a JSON
    /// answer. `label` (a path such as `/user/emails`, never a URL with a query) names the call
    /// in errors and logs. Any status but 200 is a `userinfoFailed` error. Completes on the loop.
    public func getJSON(
        _ url: String, token: OAuth2AccessToken, label: String, accept: String = "application/json",
        headers extra: [(String, String)] = [], completion: @escaping (Result<APIResponse, AuthError>) -> Void
    ) {
        let headers =
            [("Authorization", "Bearer " + token.value), ("Accept", accept), ("User-Agent", Self.userAgent)] + extra
        http.send(OutboundRequest(url: url, headers: headers)) { result in
            switch result {
            case .failure(let error):
                self.logger?.warning(
                    "provider API unreachable",
                    metadata: ["provider": "\(self.providerName)", "call": "\(label)", "reason": "\(error)"])
                completion(.failure(.userinfoFailed("\(label): could not be reached")))
            case .success(let response) where response.status != 200:
                completion(.failure(.userinfoFailed("\(label): HTTP \(response.status)")))
            case .success(let response):
                guard let json = JSONValue.parse(response.body) else {
                    completion(.failure(.userinfoFailed("\(label): response is not JSON")))
                    return
                }
                completion(.success(APIResponse(json: json, response: response)))
            }
        }
    }

    /// `base` without a trailing slash, then `path`: API bases may be written either way.
    static func join(_ base: String, _ path: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path
    }

    /// The `rel="next"` target of an RFC 8288 `Link` header (GitHub's paging), if any.
    static func nextLink(_ header: String?) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingSpaces }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            if parts.dropFirst().contains(where: { $0 == "rel=\"next\"" || $0 == "rel=next" }) {
                return String(target.dropFirst().dropLast())
            }
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
