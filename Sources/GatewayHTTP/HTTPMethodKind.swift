// The request methods the gateway treats specially; everything else is `.other`.

public enum HTTPMethodKind: Sendable, Equatable {
    case get, head, post, put, delete, options, trace, patch, connect, other

    /// RFC 9110 §9.2.2: a retry after a lost response cannot change the outcome.
    public var isIdempotent: Bool {
        switch self {
        case .get, .head, .put, .delete, .options, .trace: return true
        case .post, .patch, .connect, .other: return false
        }
    }

    /// Methods are case-sensitive (RFC 9110 §9.1), so "get" is `.other`.
    init(_ method: UnsafeRawBufferPointer) {
        switch method.count {
        case 3: self = Self.equals(method, "GET") ? .get : Self.equals(method, "PUT") ? .put : .other
        case 4: self = Self.equals(method, "POST") ? .post : Self.equals(method, "HEAD") ? .head : .other
        case 5: self = Self.equals(method, "PATCH") ? .patch : Self.equals(method, "TRACE") ? .trace : .other
        case 6: self = Self.equals(method, "DELETE") ? .delete : .other
        case 7: self = Self.equals(method, "OPTIONS") ? .options : Self.equals(method, "CONNECT") ? .connect : .other
        default: self = .other
        }
    }

    @inline(__always)
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let lit = literal.utf8Start
        for i in 0..<bytes.count where bytes[i] != lit[i] { return false }
        return true
    }
}
