// The syntax tree of a gateway.conf file: directives and blocks, includes already spliced in.

/// One argument of a directive, with where it was written.
struct ConfigArgument: Sendable, Equatable {
    var value: String
    var location: SourceLocation
    var isQuoted: Bool = false
    /// See `ConfigToken.isPoisoned`.
    var isPoisoned: Bool = false
}

/// `name args... ;` or `name args... { children }`.
struct ConfigNode: Sendable, Equatable {
    var name: String
    var args: [ConfigArgument]
    /// `nil` for a simple directive, the block's contents otherwise.
    var children: [ConfigNode]?
    /// Where the directive's name was written.
    var location: SourceLocation
    /// An argument (or the name) could not be read; the error was already reported.
    var isPoisoned: Bool = false

    var isBlock: Bool { children != nil }
}
