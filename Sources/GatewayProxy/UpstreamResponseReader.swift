// Reads one response out of an upstream connection's bytes: interim heads dropped, then the
// final head (or a 101), then its body, decoded. Owned by `UpstreamConnection`.
import GatewayCore
import GatewayHTTP

struct UpstreamResponseReader {
    enum Phase { case head, body, done }

    enum HeadStep {
        case needMore
        /// `limit` bytes buffered and still no complete head.
        case tooLarge
        case invalid(HTTPParseError)
        /// A final head (its body follows) or a 101 (the reader is done).
        case head(HTTPResponseHead)
    }

    private(set) var phase: Phase = .head
    private var parser = HTTPResponseParser()
    private var decoder = HTTPBodyDecoder(framing: .none)
    /// Decides framing: a response to HEAD has no body whatever its fields say.
    let requestMethod: HTTPMethodKind

    init(requestMethod: HTTPMethodKind) {
        self.requestMethod = requestMethod
    }

    /// Parses heads until a final one (or a 101) is complete; 1xx interim heads are consumed and dropped.
    mutating func readHead(_ input: ReadBuffer, limit: Int) -> HeadStep {
        guard phase == .head else { preconditionFailure("readHead in phase \(phase)") }
        while true {
            switch parser.parse(input.readable, requestMethod: requestMethod) {
            case .needMore:
                return input.count >= limit ? .tooLarge : .needMore
            case .failure(let error):
                phase = .done
                return .invalid(error)
            case .complete(let response, let consumed):
                input.consume(consumed)
                parser.reset()
                if response.status == 101 {
                    phase = .done
                    return .head(response)
                }
                if response.status < 200 { continue }
                decoder = HTTPBodyDecoder(framing: response.framing)
                phase = .body
                return .head(response)
            }
        }
    }

    /// Decodes body bytes from `input` while `more()` allows; true once the body is complete
    /// (the phase is then `.done`). Bytes after the body stay in `input`.
    mutating func readBody(
        _ input: ReadBuffer, while more: () -> Bool, _ onData: (UnsafeRawBufferPointer) -> Void
    ) throws(HTTPParseError) -> Bool {
        guard phase == .body else { preconditionFailure("readBody in phase \(phase)") }
        while !decoder.isComplete && !input.isEmpty && more() {
            let consumed: Int
            do {
                consumed = try decoder.decode(input.readable, onData: onData)
            } catch {
                phase = .done
                throw error
            }
            input.consume(consumed)
            if consumed == 0 { break }
        }
        if decoder.isComplete { phase = .done }
        return phase == .done
    }

    /// The upstream closed: true if that ends the body (one delimited by the connection's end).
    mutating func finishAtEOF() -> Bool {
        phase == .body && decoder.finishAtEOF()
    }
}
