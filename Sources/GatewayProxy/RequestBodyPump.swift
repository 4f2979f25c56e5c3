// A request body on its way upstream: decoded out of the client's buffer and re-framed into the
// upstream connection's queue, as far as the queue's high-water mark allows.
import GatewayCore
import GatewayHTTP

enum RequestBodyPump {
    enum Step: Equatable {
        /// The whole body is queued (with the terminating chunk when chunked).
        case complete
        /// The client's buffer is used up; more body is to come.
        case needMore
        /// The upstream's queue is full.
        case full
        case invalid(HTTPParseError)
    }

    /// Moves what `input` holds of the body into `output`. A body already complete (none at all)
    /// is `complete` at once, with nothing written.
    static func move(
        from input: ReadBuffer, decoder: inout HTTPBodyDecoder, to output: WriteQueue, chunked: Bool
    ) -> Step {
        guard !decoder.isComplete else { return .complete }
        while !input.isEmpty && output.pending < ClientTransport.highWater {
            let consumed: Int
            do {
                consumed = try decoder.decode(input.readable) { data in output.appendBody(data, chunked: chunked) }
            } catch {
                return .invalid(error)
            }
            input.consume(consumed)
            if decoder.isComplete {
                if chunked { output.append(HTTPSerializer.lastChunk) }
                return .complete
            }
            if consumed == 0 { break }
        }
        return output.pending >= ClientTransport.highWater ? .full : .needMore
    }
}
