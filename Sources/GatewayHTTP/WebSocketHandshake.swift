// RFC 6455 §4: whether a request is a well-formed WebSocket opening handshake, and whether the
// upstream's 101 really completes it. Only then may the connection become a byte tunnel.

/// A checked opening handshake: the client's `Sec-WebSocket-Key`, as sent.
public struct WebSocketHandshake: Sendable, Equatable {
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// RFC 6455 §1.3: the accept value is base64(SHA-1(key + this GUID)).
    public static let acceptGUID: StaticString = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    public enum Verdict: Sendable, Equatable {
        /// No `Upgrade: websocket`. Any other Upgrade (h2c, ...) is dropped as hop-by-hop and the
        /// request goes on as a plain one.
        case notWebSocket
        case valid(WebSocketHandshake)
        case invalid(WebSocketHandshakeError)
    }

    /// The bytes the accept value hashes.
    public var acceptInput: [UInt8] {
        key + UnsafeBufferPointer(start: Self.acceptGUID.utf8Start, count: Self.acceptGUID.utf8CodeUnitCount)
    }

    /// base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2): an upstream that answers 101 without it
    /// never read the key.
    public var expectedAccept: [UInt8] { Base64.encode(SHA1.hash(acceptInput)) }

    /// One pass over the fields. A request that names websocket in any Upgrade field must be a
    /// complete handshake: a half-formed one is refused rather than guessed at.
    public static func check(_ head: HTTPRequestHead) -> Verdict {
        let h = head.headers
        var upgrades = 0
        var asksWebSocket = false
        var key: ArraySlice<UInt8>?
        var keys = 0
        var versionIs13 = false
        var versions = 0
        h.bytes.withUnsafeBytes { buffer in
            for field in h.fields {
                switch field.name.count {
                case 7 where HTTPBytes.equalsLowercased(buffer, field.name, "upgrade"):
                    upgrades += 1
                    if HTTPBytes.equalsLowercased(buffer, field.value, "websocket") { asksWebSocket = true }
                case 17 where HTTPBytes.equalsLowercased(buffer, field.name, "sec-websocket-key"):
                    keys += 1
                    key = h.bytes[field.value]
                case 21 where HTTPBytes.equalsLowercased(buffer, field.name, "sec-websocket-version"):
                    versions += 1
                    versionIs13 = HTTPBytes.equalsLowercased(buffer, field.value, "13")
                default:
                    break
                }
            }
        }
        guard asksWebSocket else { return .notWebSocket }
        let error: WebSocketHandshakeError
        if head.methodKind != .get {
            error = .notGET
        } else if head.version != .http1_1 {
            error = .notHTTP11
        } else if upgrades != 1 {
            error = .severalUpgrades
        } else if !head.connectionTokens.contains(Self.upgradeToken) {
            error = .noConnectionUpgrade
        } else if head.framing != .none && head.framing != .length(0) {
            // Bytes after the head belong to the tunnel; a body would be read as both.
            error = .hasBody
        } else if keys != 1 || key.flatMap(Base64.decode)?.count != 16 {
            error = .invalidKey
        } else if versions != 1 || !versionIs13 {
            error = .unsupportedVersion
        } else {
            return .valid(WebSocketHandshake(key: Array(key!)))
        }
        return .invalid(error)
    }

    /// True for the 101 that completes this handshake: `Upgrade: websocket`, Connection naming
    /// upgrade, and the one `Sec-WebSocket-Accept` equal to `expectedAccept`. An upstream that
    /// merely reflects the request's fields, or speaks another protocol, fails here.
    public static func completes(_ response: HTTPResponseHead, expectedAccept: [UInt8]) -> Bool {
        guard response.status == 101, response.connectionTokens.contains(upgradeToken) else { return false }
        let h = response.headers
        var upgradeIsWebSocket = false
        var upgrades = 0
        var accepts = 0
        var acceptMatches = false
        h.bytes.withUnsafeBytes { buffer in
            for field in h.fields {
                switch field.name.count {
                case 7 where HTTPBytes.equalsLowercased(buffer, field.name, "upgrade"):
                    upgrades += 1
                    upgradeIsWebSocket = HTTPBytes.equalsLowercased(buffer, field.value, "websocket")
                case 20 where HTTPBytes.equalsLowercased(buffer, field.name, "sec-websocket-accept"):
                    accepts += 1
                    acceptMatches = h.bytes[field.value].elementsEqual(expectedAccept)
                default:
                    break
                }
            }
        }
        return upgrades == 1 && upgradeIsWebSocket && accepts == 1 && acceptMatches
    }

    private static let upgradeToken: [UInt8] = Array("upgrade".utf8)
}

/// Why a WebSocket handshake was refused; the description is the 400's detail.
public struct WebSocketHandshakeError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case notGET, notHTTP11, severalUpgrades, noConnectionUpgrade, hasBody, invalidKey, unsupportedVersion
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    static let notGET = Self(.notGET)
    static let notHTTP11 = Self(.notHTTP11)
    static let severalUpgrades = Self(.severalUpgrades)
    static let noConnectionUpgrade = Self(.noConnectionUpgrade)
    static let hasBody = Self(.hasBody)
    static let invalidKey = Self(.invalidKey)
    static let unsupportedVersion = Self(.unsupportedVersion)

    public var description: String {
        switch code {
        case .notGET: "A WebSocket handshake must be a GET request."
        case .notHTTP11: "A WebSocket handshake needs HTTP/1.1."
        case .severalUpgrades: "A WebSocket handshake has exactly one Upgrade field."
        case .noConnectionUpgrade: "A WebSocket handshake needs \"upgrade\" in Connection."
        case .hasBody: "A WebSocket handshake has no body."
        case .invalidKey: "Sec-WebSocket-Key must be one base64 value of 16 bytes."
        case .unsupportedVersion: "Sec-WebSocket-Version must be 13."
        }
    }
}
