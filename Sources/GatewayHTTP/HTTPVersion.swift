// The HTTP version of a message; this parser accepts only HTTP/1.0 and HTTP/1.1.

public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

extension HTTPVersion {
    /// `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112 §2.3); only 1.0 and 1.1 are supported (505).
    static func parse(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) throws(HTTPParseError) -> HTTPVersion {
        let s = range.lowerBound
        guard range.count == 8, buffer[s] == UInt8(ascii: "H"), buffer[s &+ 1] == UInt8(ascii: "T"),
            buffer[s &+ 2] == UInt8(ascii: "T"), buffer[s &+ 3] == UInt8(ascii: "P"),
            buffer[s &+ 4] == HTTPBytes.slash, HTTPBytes.isDigit(buffer[s &+ 5]),
            buffer[s &+ 6] == UInt8(ascii: "."), HTTPBytes.isDigit(buffer[s &+ 7])
        else { throw .invalidVersion }
        let version = HTTPVersion(major: Int(buffer[s &+ 5] &- 0x30), minor: Int(buffer[s &+ 7] &- 0x30))
        guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion }
        return version
    }
}
