// The `metrics_listen` listener, and the loop gauges a scrape reads (pool sizes).
import GatewayConfig
import GatewayCore
import GatewayMetrics

extension GatewayServer {
    /// One socket on the first loop: scrapes are rare, and its connections only hand the work
    /// to every loop (`GatewayMetrics.scrape`) and wait, never blocking.
    func startMetricsListener(_ listen: ListenerConfig, metrics: GatewayMetrics) throws {
        let address = try SocketAddress.resolve(host: listen.host, port: listen.port)
        let fd = try Socket.listen(on: address, reusePort: false)
        let bound = listen.port == 0 ? try Socket.localAddress(of: fd) : address
        let loop = contexts[0].loop
        let listener = Listener(loop: loop, fd: fd, address: bound)
        listeners.append(listener)
        let recorders = contexts.compactMap { context in context.metrics.map { (context.loop, $0) } }
        let log = errorLog
        loop.execute {
            listener.start(
                onAccept: { fd, _ in
                    _ = MetricsConnection(loop: loop, fd: fd) { completion in
                        metrics.scrape(loops: recorders, on: loop.queue, completion: completion)
                    }
                },
                onError: { error, _ in
                    log.error("metrics accept failed", metadata: ["error": .string(error.description)])
                })
        }
        errorLog.notice("metrics listening", metadata: ["address": .string(bound.description)])
    }
}

extension LoopContext {
    /// Before each scrape this loop counts its upstream connections, idle and busy, by
    /// upstream: a walk over the loop's registered objects then, nothing on the request path.
    func watchPool() {
        guard let metrics else { return }
        let idle = metrics.shared.upstreams.map { metrics.gauge(MetricCatalog.upstreamIdle, [("upstream", $0)]) }
        let busy = metrics.shared.upstreams.map { metrics.gauge(MetricCatalog.upstreamBusy, [("upstream", $0)]) }
        metrics.beforeScrape = { [unowned self] in
            var idleCounts = Array(repeating: 0, count: idle.count)
            var busyCounts = Array(repeating: 0, count: busy.count)
            for case let connection as UpstreamConnection in loop.registered {
                switch connection.state {
                case .idle: idleCounts[connection.upstreamIndex] += 1
                case .connecting, .active: busyCounts[connection.upstreamIndex] += 1
                case .closed: break
                }
            }
            for i in idle.indices {
                metrics.setGauge(idle[i], to: Double(idleCounts[i]))
                metrics.setGauge(busy[i], to: Double(busyCounts[i]))
            }
        }
    }
}
