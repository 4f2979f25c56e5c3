// Where one field line sits inside a head's bytes.

public struct HTTPHeaderField: Sendable, Equatable {
    /// The field name, as offsets into `HTTPHeaders.bytes`.
    public var name: Range<Int>
    /// The field value without leading and trailing whitespace.
    public var value: Range<Int>
    /// The whole field line including its CRLF, for copying or cutting it out when forwarding.
    public var line: Range<Int>

    /// What the parsers reserve for a head's fields: one allocation for a typical head, not one
    /// per doubling. 20 fields (992 bytes with the array's header) stay within glibc's
    /// per-thread cache, which serves blocks up to 1032 bytes; 24 (1184 bytes) took malloc's
    /// large-block path, and its `malloc_consolidate`, twice per proxied request.
    public static let typicalCount = 20

    public init(name: Range<Int>, value: Range<Int>, line: Range<Int>) {
        self.name = name
        self.value = value
        self.line = line
    }
}
