// Longest-prefix matching of a request path to a `location`, compiled once at load.
import GatewayConfig
import GatewayHTTP

/// A location ready for the hot path: its prefix as bytes and its upstream as an index.
/// A class, made once per location when the router is: a request's route is handed around
/// (the exchange, the gate, the upstream leg, the actions), and a struct holding a whole
/// `LocationConfig` retained and released each of its fields at every hand-off.
final class Route: Sendable {
    let prefix: [UInt8]
    let location: LocationConfig
    let upstreamIndex: Int
    /// The location's place in the config (the metrics' location label).
    let locationIndex: Int

    init(prefix: [UInt8], location: LocationConfig, upstreamIndex: Int, locationIndex: Int) {
        (self.prefix, self.location, self.upstreamIndex, self.locationIndex) = (prefix, location, upstreamIndex, locationIndex)
    }
}

struct Router: Sendable {
    /// Longest prefix first, so the first match wins.
    private let routes: [Route]

    init(config: GatewayConfiguration) {
        var routes: [Route] = []
        for (locationIndex, location) in config.locations.enumerated() {
            guard let index = config.upstreams.firstIndex(where: { $0.name == location.proxyPass }) else {
                preconditionFailure("validated config names unknown upstream \(location.proxyPass)")
            }
            routes.append(
                Route(
                    prefix: Self.canonicalPrefix(location.prefix), location: location, upstreamIndex: index,
                    locationIndex: locationIndex))
        }
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
    }

    /// A prefix in the form request paths take: `location /café/` is `/caf%C3%A9/`, as a
    /// request for it arrives (targets are ASCII), and `/adm%69n/` is `/admin/`.
    static func canonicalPrefix(_ prefix: String) -> [UInt8] {
        var encoded: [UInt8] = []
        for b in prefix.utf8 {
            if b > 0x20 && b < 0x7F {
                encoded.append(b)
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                encoded.append(contentsOf: [0x25, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
            }
        }
        guard case .canonical(let target) = PathCanonicalizer.canonicalize(encoded, allowEncodedSlashes: true) else {
            return Array(prefix.utf8)  // a spelling no request can take (`..`, `\`): it matches nothing new
        }
        return Array(target.matchPath)
    }

    /// `path` is a `CanonicalTarget.matchPath`: decoded, merged and without `;params`, so no
    /// other spelling of a path reaches a location the upstream would not serve it from.
    func match(_ path: ArraySlice<UInt8>) -> Route? {
        for route in routes where path.count >= route.prefix.count {
            if path.starts(with: route.prefix) { return route }
        }
        return nil
    }
}
