// The final response to an `OutboundRequest`: status, headers as received, and the raw body.

public struct OutboundResponse: Sendable {
    public var status: Int
    /// Names as received, in order: the final response only, not 1xx or redirect heads.
    public var headers: [(String, String)]
    /// Raw bytes: no content decoding is asked for, so none is applied.
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { Self.headerNamesMatch($0.0, name) }?.1
    }

    /// ASCII case-insensitive equality of header names, without allocating.
    static func headerNamesMatch(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { lower($0) == lower($1) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
