// Whether a request's `Origin` is one of the gateway's own origins, compared as parsed origins.
import GatewayConfig
import GatewayHTTP

public enum OriginCheck {
    /// True when `origin` parses and equals one of `allowed` in scheme, host and port (with
    /// default ports filled in). `null`, a malformed value or another site gives false.
    public static func isAllowed<C: Collection>(_ origin: C, allowed: [PublicURL]) -> Bool where C.Element == UInt8 {
        guard let parsed = HTTPOrigin.parse(origin) else { return false }
        return allowed.contains { url in
            url.isHTTPS == parsed.isHTTPS && url.host == parsed.host && url.effectivePort == parsed.port
        }
    }
}
