// /healthz and /readyz, answered before location matching.
import GatewayHTTP

enum HealthEndpoints {
    static func response(for head: HTTPRequestHead, shared: ProxyShared) -> LocalResponse? {
        guard head.methodKind == .get || head.methodKind == .head else { return nil }
        if matches(head.path, "/healthz") {
            return .json(200, "{\"status\":\"ok\"}\n")
        }
        if matches(head.path, "/readyz") {
            if shared.isDraining {
                return .json(503, "{\"status\":\"draining\",\"failed\":[\"shutting down\"]}\n")
            }
            let report = shared.health.report()
            return .json(report.ready ? 200 : 503, report.json)
        }
        return nil
    }

    /// The path equals `name`, optionally followed by a query.
    private static func matches(_ path: [UInt8], _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard path.count >= n else { return false }
        let equal = name.withUTF8Buffer { literal in
            path.withUnsafeBufferPointer { p in
                for i in 0..<n where p[i] != literal[i] { return false }
                return true
            }
        }
        return equal && (path.count == n || path[n] == 0x3F)
    }
}
