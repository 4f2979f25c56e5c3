// Where one field line sits inside a head's bytes.

public struct HTTPHeaderField: Sendable, Equatable {
    /// The field name, as offsets into `HTTPHeaders.bytes`.
    public var name: Range<Int>
    /// The field value without leading and trailing whitespace.
    public var value: Range<Int>
    /// The whole field line including its CRLF, for copying or cutting it out when forwarding.
    public var line: Range<Int>

    public init(name: Range<Int>, value: Range<Int>, line: Range<Int>) {
        self.name = name
        self.value = value
        self.line = line
    }
}
