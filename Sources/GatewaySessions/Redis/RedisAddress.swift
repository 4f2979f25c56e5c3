// A Redis server's host and port as Redis itself names them (a sentinel's answer, a cluster's
// CLUSTER SLOTS or MOVED/ASK reply).

public struct RedisAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`; the port is after the last ':' (so IPv6 hosts need no brackets).
    init?(_ text: Substring) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), colon != text.startIndex
        else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
