// Longest-prefix matching of a request path to a `location`, compiled once at load.
import GatewayConfig

/// A location ready for the hot path: its prefix as bytes and its upstream as an index.
struct Route: Sendable {
    let prefix: [UInt8]
    let location: LocationConfig
    let upstreamIndex: Int
    /// Lowercased names of every identity header a client might try to inject here.
    let strippedHeaderNames: [[UInt8]]
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
            var names = Set(IdentityField.allCases.map { $0.defaultHeader.lowercased() })
            for field in IdentityField.allCases { names.insert(location.headerName(for: field).lowercased()) }
            routes.append(
                Route(
                    prefix: Array(location.prefix.utf8), location: location, upstreamIndex: index,
                    strippedHeaderNames: names.sorted().map { Array($0.utf8) }))
        }
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
    }

    enum Match {
        case route(Route)
        case notFound
        case badPath
    }

    func match(target: [UInt8]) -> Match {
        guard case .path(let path) = PathNormalizer.normalize(target) else { return .badPath }
        for route in routes where path.count >= route.prefix.count {
            if path.starts(with: route.prefix) { return .route(route) }
        }
        return .notFound
    }
}
