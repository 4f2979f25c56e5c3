// Splits a gateway.conf file into tokens and substitutes `${VAR}` from the environment.

/// Turns the bytes of one file into words, quoted strings and `{` `}` `;`.
///
/// - `#` starts a comment to the end of the line, but only where a token could start
///   (`https://host/#x` is one word, as in nginx).
/// - `"double"` strings resolve `\"`, `\\`, `\n`, `\t` and `\$`, and substitute `${VAR}`.
///   `'single'` strings resolve `\'`, `\\`, `\n` and `\t` and substitute nothing.
///   Any other backslash pair is kept as written.
/// - `${VAR}` in a word or double-quoted string is replaced by the variable's value; the value
///   is never re-tokenized, so a secret with spaces or `;` stays one argument.
///
/// Lines and columns are 1-based; a column counts bytes.
struct ConfigLexer {
    private let bytes: [UInt8]
    private let file: String
    private let environment: [String: String]
    private var index = 0
    private var line = 1
    private var column = 1

    /// Problems found so far, in the order met.
    private(set) var diagnostics: [ConfigDiagnostic] = []
    /// True when the token stream itself is unreliable (an unterminated string). Errors in
    /// `${VAR}` references do not count: they only poison one token.
    private(set) var hasSyntaxErrors = false
    private var endedInsideString = false

    init(text: String, file: String, environment: [String: String]) {
        self.bytes = Array(text.utf8)
        self.file = file
        self.environment = environment
    }

    /// Every token of the input, ending with one `.endOfFile`.
    mutating func tokenize() -> [ConfigToken] {
        var tokens: [ConfigToken] = []
        while true {
            skipWhitespaceAndComments()
            let start = here
            guard index < bytes.count else {
                // After an unterminated string the end came early; the parser should not
                // report the unclosed blocks and directives that follow from it.
                tokens.append(
                    ConfigToken(
                        kind: .endOfFile, text: "", location: start, isPoisoned: endedInsideString))
                return tokens
            }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                advance()
                tokens.append(ConfigToken(kind: .openBrace, text: "{", location: start))
            case UInt8(ascii: "}"):
                advance()
                tokens.append(ConfigToken(kind: .closeBrace, text: "}", location: start))
            case UInt8(ascii: ";"):
                advance()
                tokens.append(ConfigToken(kind: .semicolon, text: ";", location: start))
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                tokens.append(lexQuoted(start: start))
            default:
                tokens.append(lexWord(start: start))
            }
        }
    }

    // MARK: - Tokens

    private mutating func lexWord(start: SourceLocation) -> ConfigToken {
        var text: [UInt8] = []
        var poisoned = false
        while index < bytes.count, !Self.endsWord(bytes[index]) {
            if bytes[index] == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                if !substituteVariable(into: &text) { poisoned = true }
                continue
            }
            text.append(bytes[index])
            advance()
        }
        return ConfigToken(
            kind: .word, text: String(decoding: text, as: UTF8.self), location: start,
            isPoisoned: poisoned)
    }

    private mutating func lexQuoted(start: SourceLocation) -> ConfigToken {
        let quote = bytes[index]
        let isDouble = quote == UInt8(ascii: "\"")
        advance()
        var text: [UInt8] = []
        var poisoned = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                advance()
                checkSeparatorAfterQuote()
                return ConfigToken(
                    kind: .quoted, text: String(decoding: text, as: UTF8.self), location: start,
                    isPoisoned: poisoned)
            }
            if byte == UInt8(ascii: "\\"), let next = peek(1) {
                text.append(contentsOf: Self.unescape(next, isDouble: isDouble))
                advance()
                advance()
                continue
            }
            if isDouble, byte == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                if !substituteVariable(into: &text) { poisoned = true }
                continue
            }
            text.append(byte)
            advance()
        }
        let quoteText = isDouble ? "\"" : "'"
        report(start, "unterminated quoted string: missing closing \(quoteText)", syntax: true)
        endedInsideString = true
        return ConfigToken(
            kind: .quoted, text: String(decoding: text, as: UTF8.self), location: start,
            isPoisoned: true)
    }

    /// What a backslash followed by `next` stands for inside a quoted string.
    private static func unescape(_ next: UInt8, isDouble: Bool) -> [UInt8] {
        switch next {
        case UInt8(ascii: "\\"): [next]
        case UInt8(ascii: "n"): [UInt8(ascii: "\n")]
        case UInt8(ascii: "t"): [UInt8(ascii: "\t")]
        case UInt8(ascii: "\"") where isDouble: [next]
        case UInt8(ascii: "$") where isDouble: [next]
        case UInt8(ascii: "'") where !isDouble: [next]
        default: [UInt8(ascii: "\\"), next]
        }
    }

    /// A quoted string must stand alone: `"a"b` is a mistake, not a concatenation.
    private mutating func checkSeparatorAfterQuote() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        if Self.isWhitespace(byte) || Self.isPunctuation(byte) || byte == UInt8(ascii: "#") {
            return
        }
        let location = here
        let character = String(decoding: [byte], as: UTF8.self)
        report(location, "unexpected \"\(character)\" after quoted string", syntax: true)
    }

    // MARK: - ${VAR}

    /// Reads `${NAME}` at the current `$` and appends the variable's value.
    /// Returns false (and reports why, at the `$`) when it cannot.
    private mutating func substituteVariable(into text: inout [UInt8]) -> Bool {
        let start = here
        var end = index + 2
        while end < bytes.count, !Self.endsWord(bytes[end]), bytes[end] != UInt8(ascii: "\""),
            bytes[end] != UInt8(ascii: "'")
        {
            end += 1
        }
        let closed = end < bytes.count && bytes[end] == UInt8(ascii: "}")
        let name = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
        let consumed = (closed ? end + 1 : end) - index
        for _ in 0..<consumed { advance() }

        guard closed else {
            report(start, "unterminated variable reference \"${\(name)\": missing \"}\"")
            return false
        }
        guard !name.isEmpty else {
            report(start, "empty variable name in \"${}\"")
            return false
        }
        guard Self.isVariableName(name) else {
            report(start, "invalid variable name \"\(name)\" in \"${\(name)}\"")
            return false
        }
        guard let value = environment[name] else {
            report(start, "environment variable \"\(name)\" is not set")
            return false
        }
        text.append(contentsOf: value.utf8)
        return true
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
    }

    // MARK: - Scanning

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipWhitespaceAndComments() {
        while index < bytes.count {
            if Self.isWhitespace(bytes[index]) {
                advance()
            } else if bytes[index] == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { advance() }
            } else {
                return
            }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == 0x0B || byte == 0x0C
    }

    private static func isPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ";")
    }

    private static func endsWord(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || isPunctuation(byte)
    }

    private mutating func report(
        _ location: SourceLocation, _ message: String, syntax: Bool = false
    ) {
        diagnostics.append(ConfigDiagnostic(location: location, message: message))
        if syntax { hasSyntaxErrors = true }
    }
}
