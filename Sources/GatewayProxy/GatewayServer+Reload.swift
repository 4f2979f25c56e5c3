// A reload: build the new generation and its new listeners first, then switch each loop over.
import GatewayConfig
import GatewayCore
import GatewayMetrics
import Logging

extension GatewayServer {
    /// What a reload changed, for the log.
    public struct ReloadOutcome: Sendable {
        public let opened: [SocketAddress]
        public let closed: [String]
        public let kept: [String]
    }

    /// Serves `config` from now on: new connections and requests use it, requests in flight
    /// finish on the old one, idle keep-alive connections move over now and busy ones after
    /// their exchange. Listeners no longer configured close, new ones open, unchanged ones keep
    /// their sockets. The old generation's pools drain and its health probes stop.
    ///
    /// Throws, with nothing changed, when any step fails (an upstream that does not resolve, a
    /// listener that cannot bind, services that cannot be built). `workers` and `event_backend`
    /// keep their start-up values: the loops are not rebuilt.
    public func reload(
        config: GatewayConfiguration,
        services makeServices: MakeServices = { _, _ in nil }
    ) throws -> ReloadOutcome {
        guard !state.isDraining else { throw StartupError(description: "shutting down: the reload is ignored") }
        let next = try ServerGeneration(
            config: config, loops: group.loops, state: state, errorLog: errorLog, accessLogs: accessLogs,
            metrics: loopMetrics, previous: generation, services: makeServices)
        let plan = ListenerPlan(open: listeners.map(\.key), config: config.listeners)
        var opened: [OpenListener] = []
        do {
            for listen in plan.added { opened.append(try bind(listen)) }
        } catch {
            for open in opened { for listener in open.sockets { Socket.close(listener.fd) } }
            throw StartupError(description: "cannot open a new listener: \(error)")
        }
        // Nothing can fail from here on.
        let old = generation
        generation = next
        old.stop()
        next.shared.health.inherit(from: old.shared.health)
        next.start()
        for (slot, context) in zip(slots, next.contexts) {
            context.loop.execute { slot.switchTo(context) }
        }
        let removed = Set(plan.removed)
        for open in listeners where removed.contains(open.key) {
            for listener in open.sockets { listener.loop.execute { listener.stop() } }
        }
        listeners.removeAll { removed.contains($0.key) }
        for open in opened { startAccepting(open) }
        listeners.append(contentsOf: opened)
        return ReloadOutcome(
            opened: opened.map(\.address), closed: plan.removed.map(\.description), kept: plan.kept.map(\.description))
    }
}
