// The issuer's signing keys: fetched once, refetched when a token names an unknown kid.
import Dispatch
import GatewayOutbound
import Logging

/// Caches one JWKS. A token with an unknown `kid` (key rotation) triggers a refetch, at most
/// one per `minimumRefetchInterval`, so junk kids cannot make us hammer the IdP. Callers that
/// ask while a fetch is in flight wait for that same fetch.
///
/// `@unchecked Sendable`: every method and callback runs on `queue`.
public final class JWKSCache: @unchecked Sendable {
    public typealias Completion = (Result<JWKSet, AuthError>) -> Void

    /// Where the keys live; set from discovery. Nil until then.
    public var jwksURI: String?
    /// The last successfully fetched set.
    public private(set) var keySet: JWKSet?
    /// Fetches started so far, for metrics and tests.
    public private(set) var fetchCount = 0

    private let http: OutboundHTTP
    private let logger: Logger?
    private let minimumRefetchInterval: UInt64
    private let monotonicClock: @Sendable () -> UInt64
    /// The issuer's budget across loops, when several loops cache its keys.
    private let sharedLimit: RefetchLimit?
    private var waiters: [Completion] = []
    private var inFlight = false
    private var lastFetchStart: UInt64?

    public init(
        http: OutboundHTTP, logger: Logger? = nil, minimumRefetchInterval: Duration = .seconds(30),
        monotonicClock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds },
        sharedLimit: RefetchLimit? = nil
    ) {
        self.sharedLimit = sharedLimit
        self.http = http
        self.logger = logger
        self.minimumRefetchInterval = OIDCTiming.nanoseconds(minimumRefetchInterval)
        self.monotonicClock = monotonicClock
    }

    /// The keys to verify a token naming `keyID`. Answers from the cache when it has the kid
    /// (or the token names none); otherwise refetches if allowed and answers with whatever set
    /// is then current. A kid that is still unknown is for the verifier to reject.
    public func keys(forKeyID keyID: String?, completion: @escaping Completion) {
        if let keySet {
            if keyID.map(keySet.contains(keyID:)) ?? true {
                completion(.success(keySet))
                return
            }
            if !inFlight, let last = lastFetchStart, monotonicClock() &- last < minimumRefetchInterval {
                logger?.debug("unknown kid; JWKS refetch is rate-limited")
                completion(.success(keySet))
                return
            }
            if !inFlight, let sharedLimit, !sharedLimit.take(now: monotonicClock()) {
                logger?.debug("unknown kid; another loop refetched the JWKS recently")
                completion(.success(keySet))
                return
            }
        }
        waiters.append(completion)
        if !inFlight { fetch() }
    }

    /// Fetches now unless a fetch is in flight (used to warm the cache after discovery).
    public func refresh() {
        if !inFlight { fetch() }
    }

    private func fetch() {
        guard let jwksURI else {
            finish(nil)
            return
        }
        inFlight = true
        fetchCount += 1
        lastFetchStart = monotonicClock()
        let request = OutboundRequest(url: jwksURI, headers: [("Accept", "application/json")])
        http.send(request) { result in
            self.handle(result)
        }
    }

    private func handle(_ result: Result<OutboundResponse, OutboundHTTPError>) {
        inFlight = false
        switch result {
        case .success(let response) where response.status == 200:
            do throws(JWTError) {
                let fresh = try JWKSet(json: response.body)
                keySet = fresh
                logger?.debug(
                    "JWKS fetched", metadata: ["keys": "\(fresh.keys.count)", "skipped": "\(fresh.skippedCount)"])
            } catch {
                logger?.warning("JWKS rejected", metadata: ["reason": "\(error)"])
            }
        case .success(let response):
            logger?.warning("JWKS fetch failed", metadata: ["reason": "HTTP \(response.status)"])
        case .failure(let error):
            logger?.warning("JWKS fetch failed", metadata: ["reason": "\(error)"])
        }
        // On failure the previous keys (if any) still answer: tokens signed with them verify.
        finish(keySet)
    }

    private func finish(_ keys: JWKSet?) {
        let pending = waiters
        waiters = []
        let result: Result<JWKSet, AuthError> = keys.map { .success($0) } ?? .failure(.keysUnavailable)
        for waiter in pending { waiter(result) }
    }
}
