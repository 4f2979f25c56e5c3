// Fetches an issuer's configuration document, retrying with backoff until it succeeds once.
import Dispatch
import GatewayOutbound
import Logging

/// Discovery for one issuer. Until the document is fetched and checked, the provider is not
/// ready; failures are retried after 1 s, 2 s, 4 s, ... capped at 30 s.
///
/// `@unchecked Sendable`: every method and callback runs on `queue`.
public final class OIDCDiscovery: @unchecked Sendable {
    /// Where the document is fetched from (`{issuer}/.well-known/openid-configuration`).
    public let issuer: String
    /// Which `issuer` the document must name.
    public let policy: OIDCIssuerPolicy
    public let configurationURL: String
    /// The checked document, once discovery has succeeded.
    public private(set) var metadata: OIDCProviderMetadata?
    /// Attempts made so far, for logs and tests.
    public private(set) var attempts = 0
    /// Called once, on `queue`, when the document is first available.
    public var onReady: ((OIDCProviderMetadata) -> Void)?

    private let http: OutboundHTTP
    private let queue: DispatchQueue
    private let logger: Logger?
    private let initialBackoff: Duration
    private let maxBackoff: Duration
    private var started = false

    public convenience init(
        issuer: String, http: OutboundHTTP, queue: DispatchQueue, logger: Logger? = nil,
        initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30)
    ) {
        self.init(
            policy: .exact(issuer), http: http, queue: queue, logger: logger, initialBackoff: initialBackoff,
            maxBackoff: maxBackoff)
    }

    public init(
        policy: OIDCIssuerPolicy, http: OutboundHTTP, queue: DispatchQueue, logger: Logger? = nil,
        initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30)
    ) {
        self.issuer = policy.location
        self.policy = policy
        self.configurationURL = OIDCProviderMetadata.configurationURL(issuer: policy.location)
        self.http = http
        self.queue = queue
        self.logger = logger
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    public var isReady: Bool { metadata != nil }

    /// Starts the first attempt. Later calls do nothing.
    public func start() {
        guard !started else { return }
        started = true
        fetch()
    }

    /// The wait after `failures` consecutive failures (1 or more): initial * 2^(failures-1), capped.
    public static func backoff(afterFailures failures: Int, initial: Duration, maximum: Duration) -> Duration {
        var delay = initial
        for _ in 1..<max(failures, 1) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    private func fetch() {
        attempts += 1
        let request = OutboundRequest(url: configurationURL, headers: [("Accept", "application/json")])
        http.send(request) { result in
            self.handle(result)
        }
    }

    private func handle(_ result: Result<OutboundResponse, OutboundHTTPError>) {
        let reason: String
        switch result {
        case .success(let response) where response.status == 200:
            switch OIDCProviderMetadata.parse(response.body, policy: policy) {
            case .success(let document):
                metadata = document
                logger?.info("OIDC discovery succeeded", metadata: ["issuer": "\(issuer)", "attempts": "\(attempts)"])
                onReady?(document)
                onReady = nil
                return
            case .failure(let error):
                reason = error.description
            }
        case .success(let response):
            reason = "HTTP \(response.status)"
        case .failure(let error):
            reason = error.description
        }
        let delay = Self.backoff(afterFailures: attempts, initial: initialBackoff, maximum: maxBackoff)
        logger?.warning(
            "OIDC discovery failed; retrying",
            metadata: ["url": "\(configurationURL)", "reason": "\(reason)", "retry_in": "\(delay)"])
        queue.asyncAfter(deadline: .now() + OIDCTiming.dispatchInterval(delay)) { [weak self] in
            self?.fetch()
        }
    }
}
