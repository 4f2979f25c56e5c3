// Appending to a byte array without reference counting: literals and ranges of another array.

extension Array where Element == UInt8 {
    /// A literal's bytes (`"X-Forwarded-For: "`). Through `StaticString` no string object is
    /// retained and released, which `append(contentsOf: "...".utf8)` does for every literal.
    @inlinable
    public mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// `source[range]`, copied without making an `ArraySlice` (and retaining `source` for it).
    @inlinable
    public mutating func append(_ source: [UInt8], range: Range<Int>) {
        source.withUnsafeBufferPointer { append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
