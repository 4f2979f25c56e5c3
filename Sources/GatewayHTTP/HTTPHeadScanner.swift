// Finds the lines of a head one at a time, resumably, rejecting bare CR/LF, controls and oversized heads.

/// The caller keeps every unconsumed byte in one buffer and calls `next` again after appending,
/// so the scanner stores offsets only and never rescans a byte.
struct HTTPHeadScanner: Sendable {
    enum Event {
        /// Append bytes and call again.
        case needMore
        /// One line without its CRLF, as offsets into the buffer.
        case line(Range<Int>)
        /// The empty line that ends the head; the value is the offset just past its CRLF.
        case end(Int)
    }

    let maxHeadSize: Int
    /// RFC 9112 §2.2: a server ignores empty lines before the request line.
    let skipsLeadingEmptyLines: Bool
    /// Where the first line starts, after any skipped empty lines.
    private(set) var headStart = 0
    private var scanned = 0
    private var lineStart = 0
    private var sawLine = false

    init(maxHeadSize: Int, skipsLeadingEmptyLines: Bool) {
        self.maxHeadSize = maxHeadSize
        self.skipsLeadingEmptyLines = skipsLeadingEmptyLines
    }

    mutating func reset() {
        headStart = 0
        scanned = 0
        lineStart = 0
        sawLine = false
    }

    /// The limit counts every byte the head consumes, skipped empty lines included, so a flood
    /// of CRLFs cannot grow the caller's buffer without bound.
    mutating func next(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Event {
        let count = buffer.count
        precondition(count >= scanned, "HTTPHeadScanner: the buffer lost bytes between calls; reset() first")
        let limit = Swift.min(count, maxHeadSize)
        var i = scanned
        let base = buffer.baseAddress
        while i < limit {
            // Skip 8 ordinary bytes at a time; only controls (CR, LF, HTAB, the rest) need a look.
            if let base {
                while i &+ 8 <= limit,
                    !HTTPBytes.hasControl(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                {
                    i &+= 8
                }
                guard i < limit else { break }
            }
            let byte = buffer[i]
            // One compare for almost every byte; controls are rejected as they arrive, not at line end.
            if byte >= 0x20 && byte != 0x7F {
                i &+= 1
                continue
            }
            if byte == HTTPBytes.cr {
                guard i &+ 1 < count else { break }  // wait for the LF
                guard buffer[i &+ 1] == HTTPBytes.lf else { throw .bareCR }
                let start = lineStart
                let next = i &+ 2
                guard next <= maxHeadSize else { throw .headTooLarge }
                lineStart = next
                scanned = next
                if start == i {
                    if !sawLine && skipsLeadingEmptyLines {
                        headStart = next
                        i = next
                        continue
                    }
                    if sawLine { return .end(next) }
                }
                sawLine = true
                return .line(start..<i)
            }
            if byte == HTTPBytes.lf { throw .bareLF }
            if byte != HTTPBytes.htab { throw .controlCharacterInHead }
            i &+= 1
        }
        scanned = i
        if count > maxHeadSize { throw .headTooLarge }
        return .needMore
    }
}
