// Tokens, positions, quoting, comments and ${VAR} substitution.

import XCTest

@testable import GatewayConfig

final class ConfigLexerTests: XCTestCase {
    private func lex(_ text: String, environment: [String: String] = [:])
        -> (tokens: [String], diagnostics: [String])
    {
        var lexer = ConfigLexer(text: text, file: "f", environment: environment)
        let tokens = lexer.tokenize().map { token -> String in
            let position = "\(token.location.line):\(token.location.column)"
            switch token.kind {
            case .word: return "\(position) word \(token.text)"
            case .quoted: return "\(position) quoted \(token.text)"
            case .endOfFile: return "\(position) eof"
            default: return "\(position) \(token.text)"
            }
        }
        return (tokens, lexer.diagnostics.map(\.description))
    }

    func testSplitsWordsPunctuationAndTracksLineAndColumn() {
        let result = lex("listen 0.0.0.0:8080;\nupstream app {\n\tserver a:1; }\n")
        XCTAssertEqual(
            result.tokens,
            [
                "1:1 word listen", "1:8 word 0.0.0.0:8080", "1:20 ;",
                "2:1 word upstream", "2:10 word app", "2:14 {",
                "3:2 word server", "3:9 word a:1", "3:12 ;", "3:14 }", "4:1 eof",
            ])
        XCTAssertEqual(result.diagnostics, [])
    }

    func testSkipsCommentsOnlyWhereATokenCouldStart() {
        let result = lex("a b#c # comment ; {\n# whole line\nd;")
        XCTAssertEqual(
            result.tokens, ["1:1 word a", "1:3 word b#c", "3:1 word d", "3:2 ;", "3:3 eof"])
    }

    func testResolvesEscapesInDoubleQuotedStrings() {
        let result = lex(#"x "a \"b\" \\ \n \t \$ \q;{}#";"#)
        XCTAssertEqual(
            result.tokens,
            ["1:1 word x", "1:3 quoted a \"b\" \\ \n \t $ \\q;{}#", "1:31 ;", "1:32 eof"])
    }

    func testResolvesEscapesInSingleQuotedStringsAndSubstitutesNothing() {
        let result = lex(#"x 'it\'s ${HOME} \"';"#, environment: ["HOME": "/root"])
        XCTAssertEqual(
            result.tokens, ["1:1 word x", "1:3 quoted it's ${HOME} \\\"", "1:21 ;", "1:22 eof"])
    }

    func testQuotedStringMaySpanLines() {
        let result = lex("x \"a\nb\" y;")
        XCTAssertEqual(
            result.tokens, ["1:1 word x", "1:3 quoted a\nb", "2:4 word y", "2:5 ;", "2:6 eof"])
    }

    func testSubstitutesEnvironmentVariablesInWordsAndDoubleQuotes() {
        let result = lex(
            #"secret ${S}; url http://${HOST}:${PORT}/x; say "v=${S}!";"#,
            environment: ["S": "a b;c", "HOST": "h", "PORT": "80"])
        XCTAssertEqual(
            result.tokens,
            [
                "1:1 word secret", "1:8 word a b;c", "1:12 ;", "1:14 word url",
                "1:18 word http://h:80/x", "1:42 ;", "1:44 word say", "1:48 quoted v=a b;c!",
                "1:57 ;", "1:58 eof",
            ])
        XCTAssertEqual(result.diagnostics, [])
    }

    func testReportsUnsetVariableAtTheDollarSign() {
        let result = lex("a x${ONE}y \"${TWO}\";", environment: [:])
        XCTAssertEqual(
            result.diagnostics,
            [
                "f:1:4: environment variable \"ONE\" is not set",
                "f:1:13: environment variable \"TWO\" is not set",
            ])
    }

    func testReportsMalformedVariableReferences() {
        let result = lex("a ${1X} ${} ${OPEN;", environment: [:])
        XCTAssertEqual(
            result.diagnostics,
            [
                "f:1:3: invalid variable name \"1X\" in \"${1X}\"",
                "f:1:9: empty variable name in \"${}\"",
                "f:1:13: unterminated variable reference \"${OPEN\": missing \"}\"",
            ])
    }

    func testReportsUnterminatedStringAtItsOpeningQuote() {
        let result = lex("a 'never closed;\n")
        XCTAssertEqual(result.diagnostics, ["f:1:3: unterminated quoted string: missing closing '"])
    }

    func testRejectsTextGluedToAClosingQuote() {
        let result = lex("a \"b\"c;")
        XCTAssertEqual(result.diagnostics, ["f:1:6: unexpected \"c\" after quoted string"])
    }
}
