// Getting an upstream connection for a request: a pooled one when allowed, else a new connect.
import GatewayCore

extension LoopContext {
    /// `reuse` false (a retry) always connects afresh. `reused` says whether the connection was
    /// pooled: only a reused one may be retried, since the upstream may have closed it idle.
    func upstreamConnection(
        upstream: Int, server: Int, reuse: Bool, delegate: UpstreamConnectionDelegate
    ) -> Result<(connection: UpstreamConnection, reused: Bool), UpstreamError> {
        if reuse, let pooled = pool.take(upstream: upstream, server: server) {
            pooled.activate(delegate: delegate)
            return .success((pooled, true))
        }
        return UpstreamConnection.connect(context: self, upstreamIndex: upstream, serverIndex: server, delegate: delegate)
            .map { ($0, false) }
    }
}
