// Host names for Redis: literals go straight to hiredis; names are resolved off the loop,
// because hiredis's own getaddrinfo call would block it.
import Glibc

extension RedisConnection {
    static func isNumericAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The addresses of `host` as text, without duplicates; empty when it does not resolve.
    /// Blocking: call off the loop.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { return [] }
        defer { freeaddrinfo(list) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var found: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            let family = info.pointee.ai_family
            if let address = info.pointee.ai_addr {
                let ok: Bool
                if family == AF_INET {
                    ok = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                        var a = sin.pointee.sin_addr
                        return inet_ntop(AF_INET, &a, &text, socklen_t(text.count)) != nil
                    }
                } else if family == AF_INET6 {
                    ok = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                        var a = sin6.pointee.sin6_addr
                        return inet_ntop(AF_INET6, &a, &text, socklen_t(text.count)) != nil
                    }
                } else {
                    ok = false
                }
                let numeric = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if ok, !found.contains(numeric) { found.append(numeric) }
            }
            entry = info.pointee.ai_next
        }
        return found
    }
}
