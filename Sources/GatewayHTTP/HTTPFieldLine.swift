// Splits and checks one field line (RFC 9112 §5), shared by heads and chunked trailers.

enum HTTPFieldLine {
    /// `line` excludes its CRLF; the returned ranges are offsets into `buffer`, the value trimmed of OWS.
    /// `controlsChecked` says the head scanner already refused every control but HTAB, so the value
    /// needs no second pass; trailers, which bypass the scanner, pass false.
    static func parse(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>, controlsChecked: Bool)
        throws(HTTPParseError) -> (name: Range<Int>, value: Range<Int>)
    {
        let end = line.upperBound
        var i = line.lowerBound
        // The scanner never yields an empty line here, but stay total.
        guard i < end else { throw .invalidHeaderName }
        if HTTPBytes.isWhitespace(buffer[i]) { throw .obsFold }
        while i < end {
            let byte = buffer[i]
            if HTTPBytes.isTokenChar(byte) {
                i &+= 1
                continue
            }
            if byte == HTTPBytes.colon { break }
            if HTTPBytes.isWhitespace(byte) {
                // "Name : value" is a smuggling vector (RFC 9112 §5.1); other spaces make a bad name.
                var j = i
                while j < end, HTTPBytes.isWhitespace(buffer[j]) { j &+= 1 }
                if j < end, buffer[j] == HTTPBytes.colon { throw .whitespaceBeforeColon }
                throw .invalidHeaderName
            }
            if HTTPBytes.isControl(byte) { throw .controlCharacterInHead }
            throw .invalidHeaderName
        }
        guard i < end, i > line.lowerBound else { throw .invalidHeaderName }
        let name = line.lowerBound..<i
        i &+= 1
        while i < end, HTTPBytes.isWhitespace(buffer[i]) { i &+= 1 }
        let valueStart = i
        if !controlsChecked {
            while i < end {
                let byte = buffer[i]
                if (byte < 0x20 && byte != HTTPBytes.htab) || byte == 0x7F { throw .controlCharacterInHead }
                i &+= 1
            }
        }
        var valueEnd = end
        while valueEnd > valueStart, HTTPBytes.isWhitespace(buffer[valueEnd &- 1]) { valueEnd &-= 1 }
        return (name, valueStart..<valueEnd)
    }
}
