// The response on an upstream connection: read out of its buffer and reported to the delegate.
import GatewayCore
import GatewayHTTP

extension UpstreamConnection {
    /// Reads what `input` holds of the response and reports it; the client side calls it again
    /// when it can take more body. Each report may detach the delegate, so it is re-read after.
    func readResponse() {
        guard state == .active, !tunneling, let delegate else { return }
        if reader.phase == .head {
            switch reader.readHead(input, limit: Self.readLimit) {
            case .needMore: return
            case .tooLarge: return delegate.upstreamResponseInvalid(self, .headTooLarge)
            case .invalid(let error): return delegate.upstreamResponseInvalid(self, .invalidHead(error))
            case .head(let head):
                delegate.upstreamResponseHead(self, head)
                guard self.delegate === delegate, state == .active, reader.phase == .body else { return }
            }
        }
        guard reader.phase == .body else { return }
        let complete: Bool
        do {
            complete = try reader.readBody(input, while: { delegate.upstreamCanTakeBody(self) }) { bytes in
                delegate.upstreamResponseBody(self, bytes)
            }
        } catch {
            return delegate.upstreamResponseInvalid(self, .invalidBody(error))
        }
        if complete {
            delegate.upstreamResponseComplete(self, reusable: input.isEmpty && state == .active)
        } else {
            delegate.upstreamResponseBodyWaiting(self)
        }
    }
}
