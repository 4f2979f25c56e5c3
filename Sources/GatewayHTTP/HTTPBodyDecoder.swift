// Streams a message body out of its framing (RFC 9112 §6-§7) without copying the payload.

public struct HTTPBodyDecoder: Sendable {
    private enum State: Sendable, Equatable {
        case length(remaining: UInt64)
        case untilClose
        // chunk-size [ chunk-ext ] CRLF, one state per grammar position so any byte can end a call.
        case size
        case sizeWhitespace
        case extensionBeforeName
        case extensionName
        case extensionAfterName
        case extensionBeforeValue
        case extensionToken
        case extensionQuoted
        case extensionQuotedPair
        case extensionValueEnd
        case extensionAfterValue
        case lineFeed
        case data(remaining: UInt64)
        case dataCR
        case dataLF
        case trailerLine
        case trailerLF
        case done
        case failed(HTTPParseError)
    }

    /// Longest chunk line accepted; only extensions can make one long, and nobody needs them long.
    static let maxChunkLineSize = 4096

    private var state: State
    private let maxTrailerSize: Int
    private var chunkSize: UInt64 = 0
    private var sizeDigits = 0
    private var chunkLineSize = 0
    private var trailerSize = 0
    /// The trailer line being read: trailers are rare, so they are copied and checked line by line.
    private var trailer: [UInt8] = []

    public init(framing: BodyFraming, maxTrailerSize: Int = 16 * 1024) {
        self.maxTrailerSize = maxTrailerSize
        switch framing {
        case .none, .length(0): state = .done
        case .length(let n): state = .length(remaining: n)
        case .chunked: state = .size
        case .untilClose: state = .untilClose
        }
    }

    /// True at once for `.none` and `.length(0)`.
    public var isComplete: Bool { state == .done }

    /// Decodes as much of `input` as it can. Payload bytes go to `onData` as slices of `input` (no copies).
    /// Stops right after the message ends (the rest belongs to the next message) and returns how many bytes
    /// of `input` it consumed. Chunked trailers are parsed (strictly, like header fields) and discarded.
    public mutating func decode(_ input: UnsafeRawBufferPointer, onData: (UnsafeRawBufferPointer) -> Void)
        throws(HTTPParseError) -> Int
    {
        switch state {
        case .done:
            return 0
        case .failed(let error):
            throw error
        case .untilClose:
            if !input.isEmpty { onData(input) }
            return input.count
        case .length(let remaining):
            let n = Int(Swift.min(remaining, UInt64(input.count)))
            if n > 0 { onData(UnsafeRawBufferPointer(rebasing: input[0..<n])) }
            state = remaining == UInt64(n) ? .done : .length(remaining: remaining &- UInt64(n))
            return n
        default:
            do throws(HTTPParseError) {
                return try decodeChunked(input, onData: onData)
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    /// For .untilClose: the connection ended, which completes the body. Returns false if the framing needed
    /// more bytes (a truncated body).
    public mutating func finishAtEOF() -> Bool {
        switch state {
        case .untilClose, .done:
            state = .done
            return true
        default:
            return false
        }
    }

    private mutating func decodeChunked(_ input: UnsafeRawBufferPointer, onData: (UnsafeRawBufferPointer) -> Void)
        throws(HTTPParseError) -> Int
    {
        var i = 0
        let count = input.count
        while i < count {
            switch state {
            case .data(let remaining):
                let n = Int(Swift.min(remaining, UInt64(count &- i)))
                onData(UnsafeRawBufferPointer(rebasing: input[i..<(i &+ n)]))
                i &+= n
                state = remaining == UInt64(n) ? .dataCR : .data(remaining: remaining &- UInt64(n))
                continue
            case .trailerLine:
                i = try readTrailerBytes(input, from: i)
                continue
            case .done:
                return i
            default:
                break
            }
            let byte = input[i]
            i &+= 1
            if state != .dataCR && state != .dataLF && state != .trailerLF {
                chunkLineSize &+= 1
                if chunkLineSize > Self.maxChunkLineSize { throw .invalidChunkExtension }
            }
            try step(byte)
            if state == .done { return i }
        }
        return i
    }

    /// One byte of chunk framing outside data and trailer lines.
    private mutating func step(_ byte: UInt8) throws(HTTPParseError) {
        if byte == HTTPBytes.lf, state != .lineFeed, state != .dataLF, state != .trailerLF { throw .bareLF }
        let isCR = byte == HTTPBytes.cr
        let isSpace = HTTPBytes.isWhitespace(byte)
        switch state {
        case .size:
            if let digit = HTTPBytes.hexValue(byte) {
                sizeDigits &+= 1
                guard sizeDigits <= 16 else { throw .invalidChunkSize }
                chunkSize = chunkSize << 4 | digit
                return
            }
            guard sizeDigits > 0 else { throw .invalidChunkSize }
            if isCR {
                state = .lineFeed
            } else if byte == HTTPBytes.semicolon {
                state = .extensionBeforeName
            } else if isSpace {
                state = .sizeWhitespace
            } else {
                throw .invalidChunkSize
            }
        case .sizeWhitespace:
            // BWS is allowed only before a ";": trailing spaces after the size are not.
            if byte == HTTPBytes.semicolon {
                state = .extensionBeforeName
            } else if !isSpace {
                throw .invalidChunkSize
            }
        case .extensionBeforeName:
            if HTTPBytes.isTokenChar(byte) {
                state = .extensionName
            } else if !isSpace {
                throw .invalidChunkExtension
            }
        case .extensionName:
            if HTTPBytes.isTokenChar(byte) { return }
            try afterName(byte, isCR: isCR, isSpace: isSpace)
        case .extensionAfterName:
            guard isSpace || byte == HTTPBytes.equals || byte == HTTPBytes.semicolon else {
                throw .invalidChunkExtension
            }
            try afterName(byte, isCR: false, isSpace: isSpace)
        case .extensionBeforeValue:
            if byte == HTTPBytes.quote {
                state = .extensionQuoted
            } else if HTTPBytes.isTokenChar(byte) {
                state = .extensionToken
            } else if !isSpace {
                throw .invalidChunkExtension
            }
        case .extensionToken:
            if HTTPBytes.isTokenChar(byte) { return }
            try afterValue(byte, isCR: isCR, isSpace: isSpace)
        case .extensionQuoted:
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if byte == HTTPBytes.quote {
                state = .extensionValueEnd
            } else if byte == HTTPBytes.backslash {
                state = .extensionQuotedPair
            } else if HTTPBytes.isControl(byte) && byte != HTTPBytes.htab {
                throw .invalidChunkExtension
            }
        case .extensionQuotedPair:
            guard !HTTPBytes.isControl(byte) || byte == HTTPBytes.htab else { throw .invalidChunkExtension }
            state = .extensionQuoted
        case .extensionValueEnd:
            try afterValue(byte, isCR: isCR, isSpace: isSpace)
        case .extensionAfterValue:
            if byte == HTTPBytes.semicolon {
                state = .extensionBeforeName
            } else if !isSpace {
                throw .invalidChunkExtension
            }
        case .lineFeed:
            guard byte == HTTPBytes.lf else { throw .bareCR }
            chunkLineSize = 0
            sizeDigits = 0
            if chunkSize == 0 {
                state = .trailerLine
            } else {
                state = .data(remaining: chunkSize)
                chunkSize = 0
            }
        case .dataCR:
            guard isCR else { throw .invalidChunkData }
            state = .dataLF
        case .dataLF:
            guard byte == HTTPBytes.lf else { throw .bareCR }
            state = .size
        case .trailerLF:
            guard byte == HTTPBytes.lf else { throw .bareCR }
            try endTrailerLine()
        case .length, .untilClose, .data, .trailerLine, .done, .failed:
            preconditionFailure("HTTPBodyDecoder.step in state \(state)")
        }
    }

    private mutating func afterName(_ byte: UInt8, isCR: Bool, isSpace: Bool) throws(HTTPParseError) {
        if isCR {
            state = .lineFeed
        } else if byte == HTTPBytes.equals {
            state = .extensionBeforeValue
        } else if byte == HTTPBytes.semicolon {
            state = .extensionBeforeName
        } else if isSpace {
            state = .extensionAfterName
        } else {
            throw .invalidChunkExtension
        }
    }

    private mutating func afterValue(_ byte: UInt8, isCR: Bool, isSpace: Bool) throws(HTTPParseError) {
        if isCR {
            state = .lineFeed
        } else if byte == HTTPBytes.semicolon {
            state = .extensionBeforeName
        } else if isSpace {
            state = .extensionAfterValue
        } else {
            throw .invalidChunkExtension
        }
    }

    /// Copies trailer bytes up to the next CR; returns the offset after what it took.
    private mutating func readTrailerBytes(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError)
        -> Int
    {
        var i = start
        while i < input.count {
            let byte = input[i]
            if byte == HTTPBytes.cr || byte == HTTPBytes.lf { break }
            i &+= 1
        }
        trailerSize &+= i &- start &+ (i < input.count ? 1 : 0)
        guard trailerSize <= maxTrailerSize else { throw .trailerTooLarge }
        trailer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<i]))
        guard i < input.count else { return i }
        guard input[i] == HTTPBytes.cr else { throw .bareLF }
        state = .trailerLF
        return i &+ 1
    }

    private mutating func endTrailerLine() throws(HTTPParseError) {
        trailerSize &+= 1
        guard trailerSize <= maxTrailerSize else { throw .trailerTooLarge }
        if trailer.isEmpty {
            state = .done
            return
        }
        let checked = trailer.withUnsafeBytes { line in
            Result { () throws(HTTPParseError) in
                _ = try HTTPFieldLine.parse(line, 0..<line.count, controlsChecked: false)
            }
        }
        try checked.get()
        trailer.removeAll(keepingCapacity: true)
        state = .trailerLine
    }
}
