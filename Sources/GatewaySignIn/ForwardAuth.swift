// Forward-auth: the request a proxy in front asks `/auth/verify` about, rebuilt from its headers.
import GatewayAuth
import GatewayConfig
import GatewayHTTP

enum ForwardAuth {
    /// The request the client sent to the proxy, as far as the verdict needs it.
    struct OriginalRequest: Equatable, Sendable {
        /// As sent (`GET` when the proxy names no method).
        var method: String
        /// Path and query in origin-form, matched against the locations like a direct request.
        var target: [UInt8]
        /// `X-Forwarded-Host`, when the proxy sent one (informational; locations match paths only).
        var host: String?

        /// GET or HEAD: the only methods a browser navigates with, so the only ones sent to sign in.
        var isNavigation: Bool { method == "GET" || method == "HEAD" }
    }

    enum Reconstruction: Equatable, Sendable {
        case request(OriginalRequest)
        /// No original URI from a trusted peer: the operator has to configure something.
        case missing
        /// A URI or method that no proxy forwards for a real request.
        case invalid(String)
    }

    /// What `/auth/verify` answers when `.missing`.
    static let missingMessage =
        "X-Original-URI (nginx auth_request) or X-Forwarded-Uri (Traefik, Caddy forward_auth) from a trusted proxy is"
        + " required; add the proxy's address to trusted_proxies."

    /// Reads nginx's `X-Original-URI` (+ `X-Original-Method`) or Traefik's and Caddy's
    /// `X-Forwarded-Uri` (+ `X-Forwarded-Method`, `X-Forwarded-Host`), only from a trusted peer:
    /// anyone else could name a public path and get a 200 for a protected one.
    ///
    /// Both sets at once are refused, not ranked: each proxy passes the client's copy of the
    /// other set through untouched, so whichever came second could be the client's choice.
    static func originalRequest(_ headers: HTTPHeaders, fromTrustedPeer trusted: Bool) -> Reconstruction {
        guard trusted else { return .missing }
        let original = headers.indices(of: "x-original-uri")
        let forwarded = headers.indices(of: "x-forwarded-uri")
        switch (original.count, forwarded.count) {
        case (0, 0):
            return .missing
        case (1, 0):
            return build(headers, uri: original[0], method: headers.indices(of: "x-original-method"), host: [])
        case (0, 1):
            return build(
                headers, uri: forwarded[0], method: headers.indices(of: "x-forwarded-method"),
                host: headers.indices(of: "x-forwarded-host"))
        case (_, 0), (0, _):
            return .invalid("more than one original URI field")
        default:
            return .invalid(
                "both X-Original-URI and X-Forwarded-Uri are present; the proxy must clear the one it does not set")
        }
    }

    private static func build(_ headers: HTTPHeaders, uri: Int, method: [Int], host: [Int]) -> Reconstruction {
        let target = Array(headers.value(at: uri))
        guard isOriginForm(target) else { return .invalid("the original URI is not a path on this site") }
        guard method.count <= 1, host.count <= 1 else { return .invalid("more than one original method or host field") }
        var name = "GET"
        if let i = method.first {
            let bytes = headers.value(at: i)
            guard !bytes.isEmpty, bytes.allSatisfy(isTokenByte) else {
                return .invalid("the original method is not a method")
            }
            name = String(decoding: bytes, as: UTF8.self).uppercased()
        }
        let forwardedHost = host.first.map { String(decoding: headers.value(at: $0), as: UTF8.self) }
        return .request(OriginalRequest(method: name, target: target, host: forwardedHost))
    }

    /// `/` then visible ASCII, no fragment: what a request line may carry (a proxy never
    /// forwards `#…`, so one here means something is rewriting URIs in ways we cannot follow).
    static func isOriginForm(_ target: [UInt8]) -> Bool {
        guard target.first == 0x2F else { return false }
        return target.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x23 }
    }

    /// Where the browser returns after signing in: the original path and query, if safe.
    static func next(for request: OriginalRequest) -> String {
        RedirectTarget.sanitize(String(decoding: request.target, as: UTF8.self))
    }

    /// Every identity header name of the location, empty: a public location's answer, so the
    /// proxy still overwrites whatever copies the client sent.
    static func emptyIdentity(location: LocationConfig) -> [(String, String)] {
        (IdentityField.allCases.map(location.headerName(for:)) + location.headerPreset.extraHeaders).map { ($0, "") }
    }

    /// The `Name: value\r\n` lines of an identity block as response fields.
    static func fields(ofBlock block: [UInt8]) -> [(String, String)] {
        var out: [(String, String)] = []
        for line in block.split(separator: 0x0A) {
            let line = line.last == 0x0D ? line.dropLast() : line
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let value = line[(colon + 1)...].drop { $0 == 0x20 }
            out.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return out
    }

    /// RFC 9110 tchar.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
