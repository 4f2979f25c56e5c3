// One `trusted_proxies` entry: an IPv4 or IPv6 network in CIDR notation, matched on raw bytes.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `10.0.0.0/8`, `192.0.2.7` (a /32), `::1`, `fd00::/8`. An IPv4-mapped IPv6 peer
/// (`::ffff:10.1.2.3`) is matched as its IPv4 address.
public struct TrustedNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, with the bits past `prefixLength` cleared.
    public let network: [UInt8]
    public let prefixLength: Int

    /// Parses `ADDRESS[/BITS]`; nil when either part is malformed or BITS is too large.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else { return nil }
        let maxBits = bytes.count * 8
        var bits = maxBits
        if parts.count == 2 {
            guard let n = ConfigValues.integer(String(parts[1])), n <= maxBits else { return nil }
            bits = n
        }
        network = Self.masked(bytes, bits)
        prefixLength = bits
    }

    /// Whether `address` (4 or 16 bytes) is inside this network.
    public func contains(_ address: [UInt8]) -> Bool {
        var address = address
        if address.count == 16 && network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }),
            address[10] == 0xFF, address[11] == 0xFF
        {
            address = Array(address[12..<16])
        }
        guard address.count == network.count else { return false }
        return Self.masked(address, prefixLength) == network
    }

    /// The numeric address `text` as bytes, or nil.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func masked(_ bytes: [UInt8], _ bits: Int) -> [UInt8] {
        var out = bytes
        for i in out.indices {
            let keep = max(0, min(8, bits - i * 8))
            out[i] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        return out
    }

    public var description: String {
        let family = network.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: 64)
        network.withUnsafeBytes { raw in
            _ = inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/\(prefixLength)"
    }
}
