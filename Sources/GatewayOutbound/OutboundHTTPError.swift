// Why an outbound request failed, safe to log: it names the host, never the path, query, headers or body.
import CCurl
import CCurlShims

/// A failed outbound request. An HTTP error status is not an error: it arrives as a response.
///
/// `description` names the kind and the host (with its port, if the URL gave one). It never holds
/// the path, query string, header values or bodies, which may carry codes, secrets or tokens.
public struct OutboundHTTPError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. A struct over a private enum, so kinds can be added without breaking callers.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case timeout, connectFailed, tlsFailed, responseTooLarge, invalidURL, invalidRequest, cancelled, other
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request's `timeout` passed (or the connect phase's share of it).
        public static let timeout = Kind(.timeout)
        /// The host did not resolve, or no address accepted the connection.
        public static let connectFailed = Kind(.connectFailed)
        /// The TLS handshake or certificate verification failed.
        public static let tlsFailed = Kind(.tlsFailed)
        /// The body (or the head) grew past the request's `maxResponseBytes`.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// Not an absolute http or https URL.
        public static let invalidURL = Kind(.invalidURL)
        /// A method or header that would not make a well-formed request (e.g. CR or LF in a value).
        public static let invalidRequest = Kind(.invalidRequest)
        /// The client was closed before the transfer finished.
        public static let cancelled = Kind(.cancelled)
        /// Anything else: the connection broke, the response was malformed, ...
        public static let other = Kind(.other)

        public var description: String {
            switch base {
            case .timeout: "timed out"
            case .connectFailed: "could not connect"
            case .tlsFailed: "TLS failed"
            case .responseTooLarge: "response too large"
            case .invalidURL: "invalid URL"
            case .invalidRequest: "invalid request"
            case .cancelled: "cancelled"
            case .other: "failed"
            }
        }
    }

    public let kind: Kind
    /// `host` or `host:port` from the URL; empty when the URL did not parse.
    public let host: String
    /// libcurl's `CURLcode`, when libcurl reported the error.
    public let curlCode: Int?
    /// Static text about the failure: libcurl's message for the code, or our own. Never request data.
    private let detail: String

    init(_ kind: Kind, host: String, detail: String, curlCode: Int? = nil) {
        self.kind = kind
        self.host = host
        self.detail = detail
        self.curlCode = curlCode
    }

    public var description: String {
        let target = host.isEmpty ? "" : " to \(host)"
        let code = curlCode.map { " (curl error \($0))" } ?? ""
        return "outbound HTTP\(target): \(kind): \(detail)\(code)"
    }

    /// Maps a libcurl result. `tooLarge` says our write or header callback stopped the transfer.
    /// `message` is libcurl's error buffer; it is kept only for TLS failures, where it says which
    /// check failed (certificate, name, protocol) and names at most the host and the CA file.
    static func fromCurl(_ code: CURLcode, host: String, tooLarge: Bool, message: String) -> OutboundHTTPError {
        let kind: Kind
        switch code {
        case _ where tooLarge, CURLE_FILESIZE_EXCEEDED: kind = .responseTooLarge
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: kind = .connectFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            kind = .tlsFailed
        case CURLE_URL_MALFORMAT: kind = .invalidURL
        default: kind = .other
        }
        // curl_easy_strerror is a fixed table: unlike the error buffer, it never echoes request data.
        var detail = tooLarge ? "the response exceeded maxResponseBytes" : String(cString: curl_easy_strerror(code))
        if kind == .tlsFailed, !message.isEmpty { detail += " (\(message))" }
        return OutboundHTTPError(kind, host: host, detail: detail, curlCode: Int(code.rawValue))
    }
}
