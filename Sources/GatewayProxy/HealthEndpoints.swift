// /healthz and /readyz, answered before location matching.
import GatewayCore
import GatewayHTTP

enum HealthEndpoints {
    /// `path` is the canonical path (no query). `/readyz` names what failed (upstream
    /// addresses, Redis) only to loopback peers and trusted proxies: to anyone else that is a
    /// map of the network behind the gateway.
    static func response(
        for head: HTTPRequestHead, path: ArraySlice<UInt8>, peer: SocketAddress, peerTrusted: Bool, shared: ProxyShared
    ) -> LocalResponse? {
        guard head.methodKind == .get || head.methodKind == .head else { return nil }
        if equals(path, "/healthz") {
            return .json(200, "{\"status\":\"ok\"}\n")
        }
        if equals(path, "/readyz") {
            let detailed = peerTrusted || isLoopback(peer.addressBytes)
            if shared.isDraining {
                return .json(
                    503,
                    detailed
                        ? "{\"status\":\"draining\",\"failed\":[\"shutting down\"]}\n" : "{\"status\":\"draining\"}\n")
            }
            let report = shared.health.report()
            if !detailed {
                return .json(
                    report.ready ? 200 : 503, report.ready ? "{\"status\":\"ready\"}\n" : "{\"status\":\"not ready\"}\n"
                )
            }
            return .json(report.ready ? 200 : 503, report.json)
        }
        return nil
    }

    /// 127.0.0.0/8, ::1 and IPv4-mapped 127.x.
    static func isLoopback(_ address: [UInt8]) -> Bool {
        if address.count == 4 { return address[0] == 127 }
        guard address.count == 16 else { return false }
        if address[0..<15].allSatisfy({ $0 == 0 }) { return address[15] == 1 }
        return address[0..<10].allSatisfy({ $0 == 0 }) && address[10] == 0xFF && address[11] == 0xFF
            && address[12] == 127
    }

    private static func equals(_ path: ArraySlice<UInt8>, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { path.elementsEqual($0) }
    }
}
