// The `metrics_listen` listener, and the loop gauges a scrape reads (pool sizes).
import GatewayConfig
import GatewayCore
import GatewayMetrics

extension GatewayServer {
    /// One socket on the first loop: scrapes are rare, and its connections only hand the work
    /// to every loop (`GatewayMetrics.scrape`) and wait, never blocking.
    func startMetricsListener(_ listen: ListenerConfig, metrics: GatewayMetrics) throws -> Listener {
        let address = try SocketAddress.resolve(host: listen.host, port: listen.port)
        let fd = try Socket.listen(on: address, reusePort: false)
        let bound = listen.port == 0 ? try Socket.localAddress(of: fd) : address
        let loop = group.loops[0]
        let listener = Listener(loop: loop, fd: fd, address: bound)
        let recorders = Array(zip(group.loops, loopMetrics ?? []))
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
        return listener
    }
}

extension LoopMetrics {
    /// Before each scrape this loop counts its upstream connections, idle and busy, by
    /// upstream name: a walk over the loop's registered objects then, nothing on the request path.
    /// By name, as a reload's upstreams are numbered afresh.
    func watchPool(on loop: EventLoop) {
        let names = shared.upstreams
        let idle = names.map { gauge(MetricCatalog.upstreamIdle, [("upstream", $0)]) }
        let busy = names.map { gauge(MetricCatalog.upstreamBusy, [("upstream", $0)]) }
        beforeScrape = { [unowned self, unowned loop] in
            var idleCounts = Array(repeating: 0, count: names.count)
            var busyCounts = Array(repeating: 0, count: names.count)
            for case let connection as UpstreamConnection in loop.registered {
                guard let i = names.firstIndex(of: connection.target.name) else { continue }
                switch connection.state {
                case .idle: idleCounts[i] += 1
                case .connecting, .active: busyCounts[i] += 1
                case .closed: break
                }
            }
            for i in names.indices {
                setGauge(idle[i], to: Double(idleCounts[i]))
                setGauge(busy[i], to: Double(busyCounts[i]))
            }
        }
    }
}
