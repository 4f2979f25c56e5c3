// The two small protocols through which the proxy meets sign-in, and the values they carry.
import GatewayConfig
import GatewayHTTP

/// Answers some requests itself (the `/auth/*` endpoints). The connection asks `claims` for
/// every request, so it must decide on bytes; `answer` may complete at once or later, and the
/// connection applies the answer only if the exchange is still current.
public protocol LocalEndpoint: AnyObject {
    /// `target` is the canonical origin-form target (path and query) of the request.
    func claims(_ target: [UInt8]) -> Bool
    func answer(_ request: LocalRequest, completion: @escaping (LocalResponse) -> Void)
    /// Paths under this prefix have their query left out of the access log (codes, states).
    var logRedactedPrefix: String? { get }
    /// How many body bytes `answer` wants to read for this request (0: none; the body is then
    /// dropped after the answer). A larger body is refused with 413 before `answer` is asked.
    func bodyLimit(_ head: HTTPRequestHead, target: [UInt8]) -> Int
}

extension LocalEndpoint {
    public func bodyLimit(_ head: HTTPRequestHead, target: [UInt8]) -> Int { 0 }
}

/// Decides protected requests: let through with an identity header block, or answer here.
public protocol AccessGate: AnyObject {
    /// The decision when the gate can give it on the caller's stack (a session at hand); nil
    /// when only `check` can tell. Asked first, so the common case allocates no completion.
    func decideAtOnce(_ head: HTTPRequestHead, location: LocationConfig) -> GateDecision?
    func check(_ head: HTTPRequestHead, location: LocationConfig, completion: @escaping (GateDecision) -> Void)
    /// Whether the session a tunnel was opened with still stands (re-checked while it is open).
    func recheck(_ session: SessionToken, completion: @escaping (SessionCheck) -> Void)
}

extension AccessGate {
    public func decideAtOnce(_ head: HTTPRequestHead, location: LocationConfig) -> GateDecision? { nil }
}

/// A request a `LocalEndpoint` claimed, with what its flows need from the connection.
public struct LocalRequest {
    public let head: HTTPRequestHead
    /// The canonical origin-form target (path and query).
    public let target: [UInt8]
    public let peerHost: String
    /// The peer is in `trusted_proxies`: its forwarded headers are believed.
    public let peerTrusted: Bool
    /// The client's address as the access log has it: the peer, or from a trusted peer the
    /// first X-Forwarded-For hop no trusted proxy vouches for.
    public let clientAddress: String
    /// Finds the location for another request's target (forward-auth), by the proxy's own
    /// canonical form and router.
    public let locate: ([UInt8]) -> LocationLookup
    /// The request body, when `bodyLimit` asked for it; else empty.
    public var body: [UInt8] = []

    public init(
        head: HTTPRequestHead, target: [UInt8], peerHost: String, peerTrusted: Bool, clientAddress: String? = nil,
        locate: @escaping ([UInt8]) -> LocationLookup
    ) {
        self.head = head
        self.target = target
        self.peerHost = peerHost
        self.peerTrusted = peerTrusted
        self.clientAddress = clientAddress ?? peerHost
        self.locate = locate
    }
}

public enum LocationLookup {
    /// The path is refused by canonicalisation.
    case rejected
    /// No location covers it.
    case none
    case location(LocationConfig)
}

public enum GateDecision {
    /// Proxy the request with this identity header block; `session` is re-checked by a tunnel.
    case allow(identityHeaders: [UInt8], session: SessionToken?)
    case answer(LocalResponse)
}

/// An opaque handle on the session a request was let through with.
public struct SessionToken: Sendable, Equatable {
    public let value: String
    public init(_ value: String) { self.value = value }
}

public enum SessionCheck {
    case stands
    case ended
    /// The store did not answer; `reason` is for the log.
    case unavailable(String)
}

/// What the executable plugs into each loop.
public struct LoopServices {
    public var endpoint: LocalEndpoint?
    public var gate: AccessGate?
    /// Runs on the loop once this generation's context is no longer used (after a reload
    /// replaced it and its last connection ended): close the clients these services own.
    public var release: (() -> Void)?
    public init(endpoint: LocalEndpoint?, gate: AccessGate?, release: (() -> Void)? = nil) {
        self.endpoint = endpoint
        self.gate = gate
        self.release = release
    }
}

/// The executable's additions to a server: per-loop services, readiness checks, a start hook.
public struct ServerServices {
    public var loops: [LoopServices]
    public var readiness: [(name: String, problem: @Sendable () -> String?)]
    public var start: () -> Void
    public init(
        loops: [LoopServices], readiness: [(name: String, problem: @Sendable () -> String?)], start: @escaping () -> Void
    ) {
        self.loops = loops
        self.readiness = readiness
        self.start = start
    }
}
