// The session caches' invalidation: one subscriber per configuration generation.
import GatewayConfig
import GatewayCore
import GatewaySessions
import Logging

extension SignInAssembly {
    /// Starts listening with the loops (its own Redis connection), and stops once every loop
    /// of this generation let go of its sign-in (a reload's successor has its own caches).
    func listen(caches: [(EventLoop, CachedSessionStore)], channel: [UInt8]) {
        guard let endpoint = redisEndpoint else { return }
        let invalidation = endpoint.invalidation(channel, caches)
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
