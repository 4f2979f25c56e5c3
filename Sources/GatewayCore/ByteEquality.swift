// Equality of two byte arrays with one memcmp, where `==` compares them a byte at a time.
import Glibc

extension Array where Element == UInt8 {
    /// The same bytes as `other`. Not for secrets: it returns at the first difference (MACs go
    /// through `MessageAuthentication`'s constant-time comparison).
    ///
    /// Why: `[UInt8] ==` is an element loop; comparing a stored session's JSON with the cached
    /// copy that way was 1.5% of the uncached authenticated path's samples.
    public func sameBytes(as other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in
                // One storage (a reply that reused the cached array): equal without reading it.
                a.count == 0 || a.baseAddress == b.baseAddress || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
    }
}
