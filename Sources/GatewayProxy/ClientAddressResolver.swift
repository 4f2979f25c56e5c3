// "The client address" for logs and limits: the first hop, from the right of X-Forwarded-For,
// that no trusted proxy vouches for. Anything left of it could have been written by the client.
import GatewayConfig
import GatewayHTTP

enum ClientAddressResolver {
    /// The cheap case first: an untrusted peer's headers are not even looked at.
    static func resolve(peer: String, peerTrusted: Bool, headers: HTTPHeaders, trusted: [TrustedNetwork]) -> String {
        guard peerTrusted else { return peer }
        let values = headers.indices(of: "x-forwarded-for").map { headers.value(at: $0) }
        return resolve(peer: peer, peerTrusted: true, forwardedFor: values, trusted: trusted)
    }

    /// `peer` is the socket's address; `forwardedFor` every X-Forwarded-For value, in order.
    /// An untrusted peer is the client whatever it claims. From a trusted peer, entries are
    /// walked right to left past trusted addresses; if all are trusted, the leftmost wins.
    static func resolve(
        peer: String, peerTrusted: Bool, forwardedFor: [ArraySlice<UInt8>], trusted: [TrustedNetwork]
    ) -> String {
        guard peerTrusted else { return peer }
        var hops: [ArraySlice<UInt8>] = []
        for value in forwardedFor {
            for entry in value.split(separator: 0x2C, omittingEmptySubsequences: true) {
                let hop = trimmed(entry)
                if !hop.isEmpty { hops.append(hop) }
            }
        }
        guard let leftmost = hops.first else { return peer }
        for hop in hops.reversed() {
            let text = String(decoding: hop, as: UTF8.self)
            guard let bytes = TrustedNetwork.addressBytes(address(of: text)),
                trusted.contains(where: { $0.contains(bytes) })
            else { return text }
        }
        return String(decoding: leftmost, as: UTF8.self)
    }

    /// The address part of a hop: `[2001:db8::1]:443` and `192.0.2.1:8080` lose the port.
    static func address(of hop: String) -> String {
        if hop.hasPrefix("["), let close = hop.firstIndex(of: "]") {
            return String(hop[hop.index(after: hop.startIndex)..<close])
        }
        let colons = hop.utf8.lazy.filter { $0 == 0x3A }.count
        if colons == 1, let colon = hop.firstIndex(of: ":") { return String(hop[..<colon]) }
        return hop
    }

    private static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return s
    }
}
