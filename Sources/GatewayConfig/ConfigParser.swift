// Builds the syntax tree of directives and blocks, and splices in `include`d files.

/// Parses one file (and, through `include`, the files it names) into `ConfigNode`s.
///
/// `include PATH;` may appear at any level; the included file's directives take its place.
/// PATH is relative to the including file's directory, and its last component may hold `*`
/// (matches sorted by name, hidden files skipped unless the pattern starts with `.`, no match
/// is not an error). A block must be closed in the file that opened it.
struct ConfigParser {
    private let environment: [String: String]
    /// Problems found so far, in the order met.
    private(set) var diagnostics: [ConfigDiagnostic] = []
    /// True when the tree may be missing pieces (a syntax error, an unreadable include), so
    /// validating it would report follow-on errors that are not really there.
    private(set) var hasSyntaxErrors = false
    /// Every file read, in the order first read.
    private(set) var files: [String] = []
    /// The chain of files being included, outermost first.
    private var includeStack: [(canonical: String?, display: String)] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// Parses `text`, the contents of `file`. `directory` anchors its relative includes, and
    /// `canonicalPath` (when the text came from disk) lets an include back to it be caught.
    mutating func parse(
        text: String, file: String, directory: String, canonicalPath: String? = nil
    ) -> [ConfigNode] {
        files.append(file)
        includeStack.append((canonicalPath, file))
        defer { includeStack.removeLast() }

        var lexer = ConfigLexer(text: text, file: file, environment: environment)
        let tokens = lexer.tokenize()
        diagnostics += lexer.diagnostics
        if lexer.hasSyntaxErrors { hasSyntaxErrors = true }

        var cursor = Cursor(tokens: tokens, directory: directory)
        return parseStatements(&cursor, openedBy: nil)
    }

    private struct Cursor {
        var tokens: [ConfigToken]
        var index = 0
        var directory: String
        /// Set once an unclosed block was reported, so enclosing blocks stay quiet about it.
        var reportedEndOfFile = false

        init(tokens: [ConfigToken], directory: String) {
            self.tokens = tokens
            self.directory = directory
        }

        var current: ConfigToken { tokens[min(index, tokens.count - 1)] }
        mutating func next() { if index < tokens.count - 1 { index += 1 } }
    }

    // MARK: - Statements

    /// Parses until the `}` that closes `openedBy`, or the end of the file at the top level.
    private mutating func parseStatements(_ cursor: inout Cursor, openedBy: ConfigToken?)
        -> [ConfigNode]
    {
        var nodes: [ConfigNode] = []
        while true {
            let token = cursor.current
            switch token.kind {
            case .endOfFile:
                if let opener = openedBy, !cursor.reportedEndOfFile, !token.isPoisoned {
                    let opened = "\(opener.location.line):\(opener.location.column)"
                    error(
                        token.location,
                        "unexpected end of file: block \"\(opener.text)\" opened at \(opened) is not closed"
                    )
                    cursor.reportedEndOfFile = true
                }
                return nodes
            case .closeBrace:
                cursor.next()
                if openedBy != nil { return nodes }
                error(token.location, "unexpected \"}\"")
            case .semicolon:
                cursor.next()
                error(token.location, "unexpected \";\"")
            case .openBrace:
                // A block without a name: report it, then skip its contents as one unit.
                cursor.next()
                error(token.location, "unexpected \"{\"")
                _ = parseStatements(&cursor, openedBy: token)
            case .word, .quoted:
                let node = parseDirective(&cursor)
                if node.name == "include" && !node.isBlock {
                    nodes += include(node, directory: cursor.directory)
                } else if node.name == "include" {
                    error(node.location, "\"include\" does not take a block")
                } else {
                    nodes.append(node)
                }
            }
        }
    }

    /// `name args... ;` or `name args... { ... }`, starting at the name.
    private mutating func parseDirective(_ cursor: inout Cursor) -> ConfigNode {
        let nameToken = cursor.current
        cursor.next()
        var node = ConfigNode(
            name: nameToken.text, args: [], children: nil, location: nameToken.location,
            isPoisoned: nameToken.isPoisoned)
        while true {
            let token = cursor.current
            switch token.kind {
            case .word, .quoted:
                node.args.append(
                    ConfigArgument(
                        value: token.text, location: token.location,
                        isQuoted: token.kind == .quoted, isPoisoned: token.isPoisoned))
                if token.isPoisoned { node.isPoisoned = true }
                cursor.next()
            case .semicolon:
                cursor.next()
                return node
            case .openBrace:
                cursor.next()
                node.children = parseStatements(&cursor, openedBy: nameToken)
                return node
            case .closeBrace, .endOfFile:
                // Leave the token for the enclosing block, which it most likely closes.
                if !token.isPoisoned {
                    error(
                        token.location, "expected \";\" or \"{\" after directive \"\(node.name)\"")
                }
                return node
            }
        }
    }

    // MARK: - include

    private mutating func include(_ node: ConfigNode, directory: String) -> [ConfigNode] {
        guard node.args.count == 1 else {
            let count = node.args.count
            error(node.location, "\"include\" expects 1 argument, got \(count)")
            return []
        }
        let argument = node.args[0]
        // The unset variable was reported; the file's contents are unknown, so stop validation.
        guard !argument.isPoisoned else {
            hasSyntaxErrors = true
            return []
        }
        let path = ConfigFileSystem.join(directory, argument.value)
        guard path.contains("*") else { return includeFile(path, at: node.location) }

        let patternDirectory = ConfigFileSystem.directory(of: path)
        let pattern =
            path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init)
            ?? path
        guard !patternDirectory.contains("*") else {
            error(
                node.location,
                "include \"\(argument.value)\": \"*\" is only allowed in the last path component")
            return []
        }
        let names: [String]
        switch ConfigFileSystem.listDirectory(patternDirectory) {
        case .success(let listed): names = listed
        case .failure(let failure):
            error(node.location, "cannot include \"\(path)\": \(failure.reason)")
            return []
        }
        var nodes: [ConfigNode] = []
        for name in names.sorted() where Self.glob(pattern, matches: name) {
            let file =
                patternDirectory == "." ? name : ConfigFileSystem.join(patternDirectory, name)
            if ConfigFileSystem.isDirectory(file) { continue }
            nodes += includeFile(file, at: node.location)
        }
        return nodes
    }

    private mutating func includeFile(_ path: String, at location: SourceLocation) -> [ConfigNode] {
        let canonical = ConfigFileSystem.canonicalPath(path)
        if let canonical, let start = includeStack.firstIndex(where: { $0.canonical == canonical })
        {
            let chain = includeStack[start...].map(\.display) + [path]
            error(location, "include cycle: \(chain.joined(separator: " -> "))")
            return []
        }
        switch ConfigFileSystem.readFile(path) {
        case .failure(let failure):
            error(location, "cannot include \"\(path)\": \(failure.reason)")
            return []
        case .success(let text):
            return parse(
                text: text, file: path, directory: ConfigFileSystem.directory(of: path),
                canonicalPath: canonical)
        }
    }

    /// `*` matches any run of characters; everything else matches itself. A leading `.` in a
    /// name must be matched explicitly, as in the shell.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        if name.hasPrefix(".") && !pattern.hasPrefix(".") { return false }
        let pattern = Array(pattern.utf8)
        let name = Array(name.utf8)
        var p = 0
        var n = 0
        var starP = -1
        var starN = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                starP = p
                starN = n
                p += 1
            } else if p < pattern.count, pattern[p] == name[n] {
                p += 1
                n += 1
            } else if starP >= 0 {
                p = starP + 1
                starN += 1
                n = starN
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    private mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(ConfigDiagnostic(location: location, message: message))
        hasSyntaxErrors = true
    }
}
