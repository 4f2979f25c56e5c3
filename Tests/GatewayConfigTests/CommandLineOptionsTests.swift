// The command line: every spelling of each option, and a clear refusal of anything else.

import GatewayConfig
import XCTest

final class CommandLineOptionsTests: XCTestCase {
    private func parse(_ arguments: [String]) -> Result<CommandLineOptions, CommandLineOptions.Problem> {
        CommandLineOptions.parse(arguments)
    }

    private func problem(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .failure(let problem) = parse(arguments) else {
            XCTFail("\(arguments) was accepted", file: file, line: line)
            return ""
        }
        return problem.description
    }

    func testNoArgumentsRunsTheDefaultFile() {
        XCTAssertEqual(try parse([]).get(), CommandLineOptions(configPath: "./gateway.conf", action: .run))
    }

    func testEverySpellingOfTheConfigFile() throws {
        for arguments in [["-c", "/etc/g.conf"], ["--config", "/etc/g.conf"], ["--config=/etc/g.conf"]] {
            XCTAssertEqual(try parse(arguments).get().configPath, "/etc/g.conf", "\(arguments)")
        }
        XCTAssertEqual(try parse(["--check", "-c", "a.conf"]).get(), CommandLineOptions(configPath: "a.conf", action: .check))
    }

    func testReloadNeedsAPositivePid() throws {
        XCTAssertEqual(try parse(["--reload", "--pid", "42", "-c", "x"]).get().action, .reload(pid: 42))
        XCTAssertEqual(try parse(["--pid=7", "--reload"]).get().action, .reload(pid: 7))
        XCTAssertTrue(problem(["--reload"]).contains("--reload needs --pid PID"))
        XCTAssertTrue(problem(["--pid", "42"]).contains("only used with --reload"))
        for bad in ["0", "-1", "x", "99999999999"] {
            XCTAssertTrue(problem(["--reload", "--pid=\(bad)"]).contains("invalid for '--pid"), bad)
        }
    }

    func testHelpAndVersionWinOverEverythingElse() throws {
        XCTAssertEqual(try parse(["--check", "--help"]).get().action, .help)
        XCTAssertEqual(try parse(["-h"]).get().action, .help)
        XCTAssertEqual(try parse(["-c", "x", "--version"]).get().action, .version)
        XCTAssertTrue(CommandLineOptions.help(abstract: "A.").contains("--check"))
    }

    func testUnknownRepeatedAndMissingValuesAreRefused() {
        XCTAssertEqual(problem(["--bogus"]), "Unknown option '--bogus'")
        // A single dash is not the start of a glued value: "-check" is no config file "heck".
        XCTAssertEqual(problem(["-check"]), "Unknown option '-check'")
        XCTAssertEqual(problem(["gateway.conf"]), "Unknown option 'gateway.conf'")
        XCTAssertTrue(problem(["-c", "a", "--config", "b"]).contains("more than once"))
        XCTAssertTrue(problem(["--check", "--check"]).contains("more than once"))
        XCTAssertTrue(problem(["-c"]).contains("Missing value"))
        XCTAssertTrue(problem(["-c", "--check"]).contains("Missing value"))
        XCTAssertTrue(problem(["--config="]).contains("Missing value"))
        XCTAssertTrue(problem(["--check=yes"]).contains("takes no value"))
        XCTAssertTrue(problem(["--check", "--reload", "--pid", "3"]).contains("cannot be used together"))
    }

    func testTheEnvironmentIsReadFromLibc() {
        setenv("GATEWAY_TEST_ENV_VALUE", "a=b c", 1)
        defer { unsetenv("GATEWAY_TEST_ENV_VALUE") }
        let environment = ProcessEnvironment.current()
        XCTAssertEqual(environment["GATEWAY_TEST_ENV_VALUE"], "a=b c")
        XCTAssertEqual(environment["PATH"], ProcessInfo.processInfo.environment["PATH"])
    }
}
