// A Redis reply as a Swift value, converted from hiredis's `redisReply` tree.
import CHiredis
import Glibc

/// One RESP2 reply. A top-level error reply reaches callers as `RedisError.replyError`;
/// `.error` appears only nested, inside an array (EXEC, Lua tables).
public enum RedisValue: Sendable, Equatable {
    case null
    case string([UInt8])
    case status(String)
    case integer(Int)
    case array([RedisValue])
    case error(String)

    /// The bytes of a bulk string as UTF-8 text (lossy); nil for anything else.
    public var text: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
}

extension RedisValue {
    /// Copies a reply out of hiredis's memory (hiredis frees it once the callback returns).
    /// Nil for a type this client does not know, which the caller treats as a protocol error.
    ///
    /// `known`: a top-level bulk string with exactly these bytes is `.string(known)`, sharing
    /// its storage instead of copying (a session read again and again).
    init?(reply: UnsafePointer<redisReply>, reusing known: [UInt8]? = nil) {
        let r = reply.pointee
        if let known, r.type == REDIS_REPLY_STRING, Self.equal(known, r.str, r.len) {
            self = .string(known)
            return
        }
        switch r.type {
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_INTEGER:
            self = .integer(Int(r.integer))
        case REDIS_REPLY_STRING:
            self = .string(Self.bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var items: [RedisValue] = []
            items.reserveCapacity(r.elements)
            for i in 0..<r.elements {
                guard let child = r.element[i], let value = RedisValue(reply: child) else { return nil }
                items.append(value)
            }
            self = .array(items)
        default:
            return nil
        }
    }

    private static func equal(_ known: [UInt8], _ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> Bool {
        guard known.count == count else { return false }
        guard count > 0 else { return true }
        guard let pointer else { return false }
        return known.withUnsafeBytes { memcmp($0.baseAddress!, pointer, count) == 0 }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
