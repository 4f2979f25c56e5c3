// `metrics_listen`: the Prometheus listener, apart from the public ones.

extension ConfigValidator {
    /// `metrics_listen HOST:PORT;` takes the forms of `listen` but no `tls`, and must not be
    /// one of the public addresses (that would serve `/metrics` to the world, or fail to bind).
    mutating func metricsListener(_ node: ConfigNode, public listeners: [ListenerConfig]) -> ListenerConfig? {
        guard var listener = listener(node, policy: TLSPolicy()) else { return nil }
        listener.tls = nil
        let item = "metrics_listen \"\(node.args[0].value)\""
        if listener.port != 0,
            listeners.contains(where: {
                $0.port == listener.port
                    && ($0.host == listener.host || Self.isWildcard($0.host) || Self.isWildcard(listener.host))
            })
        {
            error(node.args[0].location, nil, "\(item) is also a listen address; metrics need a port of their own")
            return nil
        }
        return listener
    }

    private static func isWildcard(_ host: String) -> Bool {
        host == "0.0.0.0" || host == "::" || host == "[::]"
    }
}
