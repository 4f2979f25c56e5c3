// The outbound HTTP seam providers call through, so tests can serve an identity provider from memory.

/// Sends one request and calls back once. Implementations call `completion` on the queue the
/// provider runs on, and never block. The gateway uses `CurlHTTPClient`.
public protocol OutboundHTTP: AnyObject, Sendable {
    func send(_ request: OutboundRequest, completion: @escaping (Result<OutboundResponse, OutboundHTTPError>) -> Void)
}
