// The error line for a session store that failed a request's load: one per loop every 10 s.
import GatewayCore
import GatewaySessions

extension SignInContext {
    func reportStoreFailure(_ error: StoreError) {
        // `count` is this failure and those held back since the last line.
        guard let count = storeFailureReports.record(now: clock.monotonicNanoseconds()) else { return }
        log.error(
            "session store unavailable",
            metadata: ["error": .string(error.description), "suppressed": .string(String(count - 1))])
    }
}
