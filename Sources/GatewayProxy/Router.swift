// Longest-prefix matching of a request path to a `location`, compiled once at load.
import GatewayConfig

/// A location ready for the hot path: its prefix as bytes and its upstream as an index.
struct Route: Sendable {
    let prefix: [UInt8]
    let location: LocationConfig
    let upstreamIndex: Int
}

struct Router: Sendable {
    /// Longest prefix first, so the first match wins.
    private let routes: [Route]

    init(config: GatewayConfiguration) {
        var routes: [Route] = []
        for location in config.locations {
            guard let index = config.upstreams.firstIndex(where: { $0.name == location.proxyPass }) else {
                preconditionFailure("validated config names unknown upstream \(location.proxyPass)")
            }
            routes.append(Route(prefix: Array(location.prefix.utf8), location: location, upstreamIndex: index))
        }
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
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
