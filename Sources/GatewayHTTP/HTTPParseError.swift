// Why a message was rejected, with the status to answer; a struct over a private enum so rules can be added.

public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case contentLengthWithTransferEncoding, invalidContentLength, duplicateContentLength
        case unsupportedTransferEncoding, transferEncodingInHTTP10
        case invalidChunkSize, invalidChunkExtension, invalidChunkData
        case bareCR, bareLF, controlCharacterInHead, whitespaceBeforeColon, obsFold
        case invalidHeaderName, invalidHeaderValue, invalidHost
        case invalidRequestLine, invalidMethod, invalidTarget, invalidVersion, unsupportedVersion
        case missingHost, duplicateHost, headTooLarge, trailerTooLarge, invalidStatusLine
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The status to answer the peer with: 400, 431 or 505.
    ///
    /// A Transfer-Encoding other than one `chunked` gets 400, not RFC 9112's suggested 501:
    /// every framing ambiguity is treated as a possible smuggling attempt and closes the connection.
    public var status: Int {
        switch code {
        case .headTooLarge: return 431
        case .unsupportedVersion: return 505
        default: return 400
        }
    }

    /// A stable, human message (safe to log; it never contains message bytes).
    public var description: String {
        switch code {
        case .contentLengthWithTransferEncoding: return "Content-Length together with Transfer-Encoding"
        case .invalidContentLength: return "invalid Content-Length"
        case .duplicateContentLength: return "more than one Content-Length"
        case .unsupportedTransferEncoding: return "Transfer-Encoding other than a single chunked"
        case .transferEncodingInHTTP10: return "Transfer-Encoding in an HTTP/1.0 message"
        case .invalidChunkSize: return "invalid chunk size"
        case .invalidChunkExtension: return "invalid chunk extension"
        case .invalidChunkData: return "missing CRLF after chunk data"
        case .bareCR: return "CR not followed by LF"
        case .bareLF: return "LF not preceded by CR"
        case .controlCharacterInHead: return "control character in the head"
        case .whitespaceBeforeColon: return "whitespace between field name and colon"
        case .obsFold: return "obsolete line folding"
        case .invalidHeaderName: return "invalid field name"
        case .invalidHeaderValue: return "invalid field value"
        case .invalidHost: return "invalid Host"
        case .invalidRequestLine: return "malformed request line"
        case .invalidMethod: return "invalid method"
        case .invalidTarget: return "invalid request target"
        case .invalidVersion: return "invalid HTTP version"
        case .unsupportedVersion: return "unsupported HTTP version"
        case .missingHost: return "missing Host"
        case .duplicateHost: return "more than one Host"
        case .headTooLarge: return "head too large"
        case .trailerTooLarge: return "trailer section too large"
        case .invalidStatusLine: return "malformed status line"
        }
    }

    /// Content-Length and Transfer-Encoding in one message (RFC 9112 §6.3: a smuggling vector).
    public static let contentLengthWithTransferEncoding = HTTPParseError(.contentLengthWithTransferEncoding)
    /// Content-Length that is not 1 to 18 digits.
    public static let invalidContentLength = HTTPParseError(.invalidContentLength)
    /// Two Content-Length fields, or a list value such as "5, 5".
    public static let duplicateContentLength = HTTPParseError(.duplicateContentLength)
    /// Transfer-Encoding other than exactly one `chunked` (400).
    public static let unsupportedTransferEncoding = HTTPParseError(.unsupportedTransferEncoding)
    /// RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
    public static let transferEncodingInHTTP10 = HTTPParseError(.transferEncodingInHTTP10)
    /// A chunk size that is empty, not hex, over 16 digits, or padded with spaces.
    public static let invalidChunkSize = HTTPParseError(.invalidChunkSize)
    /// A chunk extension that is not `;token[=token|quoted-string]`, or a chunk line that is too long.
    public static let invalidChunkExtension = HTTPParseError(.invalidChunkExtension)
    /// Chunk data not followed by CRLF.
    public static let invalidChunkData = HTTPParseError(.invalidChunkData)
    public static let bareCR = HTTPParseError(.bareCR)
    public static let bareLF = HTTPParseError(.bareLF)
    /// 0x00-0x1F (except HTAB in field values) or 0x7F.
    public static let controlCharacterInHead = HTTPParseError(.controlCharacterInHead)
    public static let whitespaceBeforeColon = HTTPParseError(.whitespaceBeforeColon)
    /// A field line starting with SP or HTAB (RFC 9112 §5.2).
    public static let obsFold = HTTPParseError(.obsFold)
    /// A field name that is not a token, or a field line without a colon.
    public static let invalidHeaderName = HTTPParseError(.invalidHeaderName)
    /// A field value that breaks its field's grammar (e.g. a Connection list that is not tokens).
    public static let invalidHeaderValue = HTTPParseError(.invalidHeaderValue)
    /// A Host value (or absolute-form authority) that is not `host[:port]`.
    public static let invalidHost = HTTPParseError(.invalidHost)
    /// A request line that is not `method SP target SP version`.
    public static let invalidRequestLine = HTTPParseError(.invalidRequestLine)
    public static let invalidMethod = HTTPParseError(.invalidMethod)
    public static let invalidTarget = HTTPParseError(.invalidTarget)
    /// A version that is not `HTTP/DIGIT.DIGIT`.
    public static let invalidVersion = HTTPParseError(.invalidVersion)
    /// A well-formed version other than HTTP/1.0 and HTTP/1.1 (505).
    public static let unsupportedVersion = HTTPParseError(.unsupportedVersion)
    public static let missingHost = HTTPParseError(.missingHost)
    public static let duplicateHost = HTTPParseError(.duplicateHost)
    /// The head exceeds the parser's limit (431).
    public static let headTooLarge = HTTPParseError(.headTooLarge)
    public static let trailerTooLarge = HTTPParseError(.trailerTooLarge)
    public static let invalidStatusLine = HTTPParseError(.invalidStatusLine)
}
