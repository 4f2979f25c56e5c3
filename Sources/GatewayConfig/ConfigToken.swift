// The tokens of a gateway.conf file, as the lexer hands them to the parser.

/// One token with the place its first character was written.
struct ConfigToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare word (`listen`, `127.0.0.1:8080`, `${VAR}` substituted).
        case word
        /// A `"double"` or `'single'` quoted string, escapes already resolved.
        case quoted
        case openBrace
        case closeBrace
        case semicolon
        /// The end of the input; its location is just after the last character.
        case endOfFile
    }

    var kind: Kind
    /// The resolved text of a word or string; the character itself for punctuation.
    var text: String
    var location: SourceLocation
    /// Set when the token's text is unusable because of an error already reported
    /// (an unset `${VAR}`); the validator then skips the directive to avoid follow-on noise.
    var isPoisoned: Bool = false

    /// How the token reads in a message: `"}"`, `end of file`.
    var quotedForMessage: String {
        kind == .endOfFile ? "end of file" : "\"\(text)\""
    }
}
