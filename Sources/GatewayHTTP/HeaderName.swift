// Field names compared the way some upstreams read them: `X_Auth_User` and `x.auth.user` are
// `X-Auth-User` to a CGI- or PHP-style app, so a strip list must match every such spelling.

public enum HeaderName {
    /// ASCII lowercase, `_` and `.` read as `-`.
    @inline(__always)
    public static func normalized(_ b: UInt8) -> UInt8 {
        if b == 0x5F || b == 0x2E { return 0x2D }
        return HTTPBytes.lowercased(b)
    }

    /// The normalised form of a whole name, for building match sets once at load.
    public static func normalized<S: Sequence>(_ name: S) -> [UInt8] where S.Element == UInt8 {
        name.map(normalized)
    }

    /// Whether `name` normalises to `normalizedName` (which must already be normalised).
    @inline(__always)
    public static func normalizedEquals(_ name: ArraySlice<UInt8>, _ normalizedName: [UInt8]) -> Bool {
        guard name.count == normalizedName.count else { return false }
        var j = 0
        for b in name {
            if normalized(b) != normalizedName[j] { return false }
            j &+= 1
        }
        return true
    }

    /// nginx drops such fields unless `underscores_in_headers on`: they alias dashed names in CGI.
    @inline(__always)
    public static func containsUnderscore(_ name: ArraySlice<UInt8>) -> Bool {
        name.contains(0x5F)
    }
}

/// A set of normalised names, matched against a field name without building any String.
public struct HeaderNameSet: Sendable {
    /// Normalised names indexed by length, so most fields are ruled out by one array load.
    private let byLength: [[[UInt8]]]

    public init<S: Sequence>(_ names: S) where S.Element == String {
        let normalized = names.map { HeaderName.normalized($0.utf8) }
        var groups = [[[UInt8]]](repeating: [], count: (normalized.map(\.count).max() ?? 0) + 1)
        for n in normalized where !groups[n.count].contains(n) {
            groups[n.count].append(n)
        }
        byLength = groups
    }

    public func contains(_ name: ArraySlice<UInt8>) -> Bool {
        guard name.count < byLength.count else { return false }
        for c in byLength[name.count] where HeaderName.normalizedEquals(name, c) { return true }
        return false
    }
}
