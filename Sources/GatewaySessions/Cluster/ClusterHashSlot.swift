// Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its `{hash tag}`, modulo 16384.

/// Pure bytes, no I/O: the rules of the Redis Cluster specification ("Keys distribution model").
public enum ClusterHashSlot {
    public static let count = 16_384

    /// The slot of `key`. When the key holds a `{` followed later by a `}` with at least one
    /// byte between them, only the bytes between the first `{` and the first `}` after it
    /// count; `{}` (empty) or an unclosed `{` leave the whole key to count.
    public static func slot<C: Collection>(_ key: C) -> Int where C.Element == UInt8 {
        Int(crc16(hashed(key)) & 0x3FFF)
    }

    /// The part of `key` that is hashed.
    static func hashed<C: Collection>(_ key: C) -> C.SubSequence where C.Element == UInt8 {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        let afterOpen = key.index(after: open)
        guard let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen else {
            return key[...]
        }
        return key[afterOpen..<close]
    }

    /// CRC16/XMODEM: polynomial 0x1021, initial value 0, no reflection, no final XOR.
    public static func crc16<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
