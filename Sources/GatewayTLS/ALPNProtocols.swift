// ALPN protocol lists: the wire form, and the server's choice among what a client offers.

/// Protocols in order of preference (`["http/1.1"]` today; `"h2"` goes first once it is served).
struct ALPNProtocols: Sendable {
    let names: [String]
    /// Each name preceded by its length, as `SSL_set_alpn_protos` and the extension want it.
    let wire: [UInt8]

    init(_ names: [String]) throws(TLSError) {
        var wire: [UInt8] = []
        for name in names {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(.invalidSettings, "ALPN protocol \"\(name)\" must be 1 to 255 bytes")
            }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        self.names = names
        self.wire = wire
    }

    /// The offset and length, in the client's wire-form list, of the first protocol of ours it
    /// offers; nil when there is none in common or the list is malformed.
    func select(fromClient offered: UnsafeBufferPointer<UInt8>) -> (offset: Int, count: Int)? {
        for name in names {
            let ours = Array(name.utf8)
            var position = 0
            while position < offered.count {
                let length = Int(offered[position])
                let start = position + 1
                guard length > 0, start + length <= offered.count else { return nil }
                if length == ours.count, offered[start..<start + length].elementsEqual(ours) {
                    return (start, length)
                }
                position = start + length
            }
        }
        return nil
    }
}
