// Each request's id and W3C trace context: kept from a trusted proxy when valid, made here
// otherwise, sent upstream and written in the access log.
import GatewayHTTP

struct RequestTrace {
    /// Sent upstream as `X-Request-Id` and logged as `request_id`. For a new trace it and
    /// `traceParent` are parts of one array (`TraceContext.requestIDAndTraceParent`).
    let requestID: ArraySlice<UInt8>
    /// Sent upstream as `traceparent`; its trace id is logged as `trace_id`.
    let traceParent: ArraySlice<UInt8>
    /// A trusted proxy's `tracestate`, passed on with the `traceparent` it belongs to.
    let traceState: [UInt8]?

    var traceID: ArraySlice<UInt8> { TraceContext.traceID(traceParent[...]) }

    /// The client's own `X-Request-Id`, `traceparent` and `tracestate` are believed only from a
    /// trusted proxy, by their exact names, and only when valid; anything else is replaced (the
    /// rewriter drops every spelling of these names, as for identity headers). A new trace's id is
    /// the request id, so the two can be found from each other.
    static func make(_ head: HTTPRequestHead, peerTrusted: Bool, ids: inout RequestIDGenerator) -> RequestTrace {
        var requestID: ArraySlice<UInt8>?
        var traceParent: ArraySlice<UInt8>?
        var traceState: [UInt8]?
        if peerTrusted {
            let h = head.headers
            for i in h.fields.indices {
                if h.nameEquals(at: i, "x-request-id") {
                    if requestID == nil { requestID = h.value(at: i) }
                } else if h.nameEquals(at: i, "traceparent") {
                    // More than one traceparent is invalid (§3.2): none is believed.
                    traceParent = traceParent == nil ? h.value(at: i) : []
                } else if h.nameEquals(at: i, "tracestate") {
                    if traceState != nil { traceState!.append(0x2C) }
                    traceState = (traceState ?? []) + h.value(at: i)
                }
            }
            if let id = requestID, !TraceContext.isAcceptableRequestID(id) { requestID = nil }
            if let tp = traceParent, !TraceContext.isValidTraceParent(tp) { traceParent = nil }
        }
        // A trusted proxy's values stay slices of the head's bytes, which the exchange keeps.
        let random = ids.next()
        guard let traceParent else {
            guard let requestID else {
                // The common case, in one allocation: the trace's id is the request's.
                let both = TraceContext.requestIDAndTraceParent(trace: random, parent: ids.next().0)
                return RequestTrace(requestID: both[..<32], traceParent: both[32...], traceState: nil)
            }
            let tp = TraceContext.traceParent(trace: random, parent: ids.next().0)
            return RequestTrace(requestID: requestID, traceParent: tp[...], traceState: nil)
        }
        return RequestTrace(
            requestID: requestID ?? TraceContext.hex(random)[...], traceParent: traceParent, traceState: traceState)
    }
}

/// Random 128-bit ids without a system call per request: xoshiro256** (Blackman and Vigna),
/// seeded once per loop from the system's random source. Ids must not collide; they are not
/// secrets (every upstream and log sees them).
struct RequestIDGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        s = (system.next(), system.next(), system.next(), system.next())
        if s == (0, 0, 0, 0) { s.0 = 1 }  // the one state the generator cannot leave
    }

    mutating func next() -> (UInt64, UInt64) { (step(), step()) }

    private mutating func step() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
