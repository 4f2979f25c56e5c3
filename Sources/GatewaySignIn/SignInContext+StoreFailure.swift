// The error line for a session store that failed a request's load: one per loop every 10 s.
import GatewayCore
import GatewaySessions

extension SignInContext {
    func reportStoreFailure(_ error: StoreError) {
        guard let suppressed = storeFailureReports.report(now: clock.monotonicNanoseconds()) else { return }
        log.error(
            "session store unavailable",
            metadata: ["error": .string(error.description), "suppressed": .string(String(suppressed))])
    }
}
