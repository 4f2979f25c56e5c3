// Reading and dropping the rest of a request body the gateway answered without forwarding, or
// keeping a small one for a local endpoint that reads it (a back-channel logout's form).
import GatewayHTTP

/// A small unread body is read to its end so the connection can carry the next request; a large
/// one is not worth the reading, and the connection ends after the answer instead. With
/// `keeping`, the decoded bytes are kept (at most `limit` of them) instead of dropped.
struct BodyDiscard {
    /// Bodies up to this many bytes (on the wire, framing included) are read and dropped.
    static let limit = 64 * 1024

    enum Outcome: Equatable {
        case needMore
        case complete
        /// More than `limit` bytes: give up and close.
        case tooLarge
        /// The framing is broken: close.
        case invalid
    }

    private var decoder: HTTPBodyDecoder
    private(set) var consumed = 0
    private let limit: Int
    private let keeping: Bool
    /// The decoded body so far, when keeping.
    private(set) var kept: [UInt8] = []

    init(decoder: HTTPBodyDecoder, limit: Int = BodyDiscard.limit, keeping: Bool = false) {
        self.decoder = decoder
        self.limit = limit
        self.keeping = keeping
    }

    /// Whether a body with this framing may fit: a Content-Length says so up front; a chunked
    /// body can only be tried; one delimited by the close never ends.
    static func mayFit(_ framing: BodyFraming, limit: Int = BodyDiscard.limit) -> Bool {
        switch framing {
        case .none, .chunked: true
        case .length(let n): n <= UInt64(limit)
        case .untilClose: false
        }
    }

    /// Drops what of `bytes` belongs to the body; returns how many bytes that was. It may pass
    /// `limit` by up to one buffer, which keeps a size line split at the limit from stalling.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> (used: Int, outcome: Outcome) {
        var used = 0
        while !decoder.isComplete && used < bytes.count && consumed < limit {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[used...])
            let n: Int
            var data: [UInt8] = []
            do {
                n = try decoder.decode(rest) { if keeping { data.append(contentsOf: $0) } }
            } catch {
                return (used, .invalid)
            }
            kept += data
            used += n
            consumed += n
            if n == 0 { break }
        }
        if kept.count > limit { return (used, .tooLarge) }
        if decoder.isComplete { return (used, .complete) }
        return (used, consumed >= limit ? .tooLarge : .needMore)
    }
}
