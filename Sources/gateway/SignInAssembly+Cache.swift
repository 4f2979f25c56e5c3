// The session caches' invalidation: one subscriber per configuration generation.
import GatewayConfig
import GatewayCore
import GatewaySessions
import Logging

extension SignInAssembly {
    /// Starts listening with the loops (its own Redis connection), and stops once every loop
    /// of this generation let go of its sign-in (a reload's successor has its own caches).
    func listen(caches: [(EventLoop, CachedSessionStore)], channel: [UInt8], config: GatewayConfiguration, log: Logger) {
        let invalidation: SessionInvalidation
        switch config.session.store {
        case .redis(let host, let port, let database, let password):
            invalidation = SessionInvalidation(
                host: host, port: port, database: database, password: password, channel: channel, caches: caches,
                logger: log)
        case .redisCluster(let nodes, let password):
            invalidation = SessionInvalidation(
                cluster: nodes.map { ClusterNodeAddress(host: $0.host, port: $0.port) }, password: password,
                channel: channel, caches: caches, logger: log)
        case .memory:
            return
        }
        let shared = SharedResource(invalidation) { $0.close() }
        for i in releases.indices {
            shared.retain()
            let release = releases[i]
            releases[i] = {
                release()
                shared.release()
            }
        }
        starters.append((caches[0].0, { invalidation.start() }))
    }
}
