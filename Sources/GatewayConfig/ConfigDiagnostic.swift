// The errors a configuration load reports: one diagnostic per problem, all of them at once.

/// One problem in a configuration file, at the place it was written.
public struct ConfigDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`
    public var description: String { "\(location): \(message)" }
}

/// Every problem found while loading a configuration, in file and line order.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
