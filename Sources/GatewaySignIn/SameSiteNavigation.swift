// Whether a GET that changes who is signed in (`?link=1`) came from the gateway's own site.
import GatewayConfig
import GatewayHTTP
import GatewayProxy

/// Linking adds an identity to the signed-in user, so a cross-site page must not be able to
/// start it (it could link the attacker's IdP account to the victim's user). The evidence, in
/// order:
/// - `Sec-Fetch-Site` (every current browser sends it): `same-origin`, or `none` for a typed
///   URL or bookmark, passes. `same-site` does not: a sibling subdomain may host other people's
///   content, and our own pages are same-origin.
/// - Without it, `Origin`, else the scheme://host:port of `Referer`, must be the public URL.
/// - Neither: refused. Old browsers and tools lose only linking, never signing in.
enum SameSiteNavigation {
    static func isAllowed(_ headers: HTTPHeaders, publicURL: PublicURL) -> Bool {
        if let site = headers.firstValue("sec-fetch-site") {
            let lower = site.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
            return lower.elementsEqual("same-origin".utf8) || lower.elementsEqual("none".utf8)
        }
        if let origin = headers.firstValue("origin") {
            return OriginCheck.isAllowed(origin, allowed: [publicURL])
        }
        if let referer = headers.firstValue("referer") {
            return OriginCheck.isAllowed(origin(ofURL: referer), allowed: [publicURL])
        }
        return false
    }

    /// `scheme://authority` of an absolute URL: up to the first `/`, `?` or `#` after `://`.
    /// Anything else comes back whole, for `HTTPOrigin.parse` to refuse.
    static func origin(ofURL url: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let separator = Array("://".utf8)
        guard let start = url.firstRange(of: separator)?.upperBound else { return url }
        let end = url[start...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }
        return url[..<(end ?? url.endIndex)]
    }
}
