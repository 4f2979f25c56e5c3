// The gateway's command line as a value: parsed from the arguments, with a clear error for
// anything it does not know. Hand-written so the binary links no Foundation (argument-parser
// needs FoundationEssentials, 2.6 MiB of resident text in an idle gateway).

/// `gateway [-c FILE] [--check | --reload --pid PID] | --help | --version`.
public struct CommandLineOptions: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case run
        case check
        case reload(pid: Int32)
        case help
        case version
    }

    public var configPath = "./gateway.conf"
    public var action: Action = .run

    public init(configPath: String = "./gateway.conf", action: Action = .run) {
        self.configPath = configPath
        self.action = action
    }

    /// What went wrong, said as the user typed it; `gateway` prints it with `usage` and exits 64.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static let usage = "gateway [--config <config>] [--check] [--reload] [--pid <pid>]"

    public static func help(abstract: String) -> String {
        """
        OVERVIEW: \(abstract)

        USAGE: \(usage)

        OPTIONS:
          -c, --config <config>   The configuration file. (default: ./gateway.conf)
          --check                 Validate the configuration, print every problem, and exit.
          --reload                Check the configuration like --check, then send SIGHUP to
                                  the running gateway (--pid).
          --pid <pid>             With --reload: the process id of the running gateway.
          --version               Show the version.
          -h, --help              Show help information.

        """
    }

    /// The arguments after the program's name. `--help` and `--version` win over everything
    /// else, as they do for most tools; an option given twice is refused rather than guessed.
    public static func parse(_ arguments: [String]) -> Result<CommandLineOptions, Problem> {
        var options = CommandLineOptions()
        var check = false
        var reload = false
        var pid: Int32?
        var seen: Set<String> = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let (name, inline) = split(argument)
            if name == "-h" || name == "--help" { return .success(CommandLineOptions(action: .help)) }
            if name == "--version" { return .success(CommandLineOptions(action: .version)) }
            guard ["-c", "--config", "--check", "--reload", "--pid"].contains(name) else {
                return .failure(Problem(description: "Unknown option '\(argument)'"))
            }
            let canonical = name == "-c" ? "--config" : name
            guard seen.insert(canonical).inserted else {
                return .failure(Problem(description: "'\(canonical)' is given more than once"))
            }
            switch canonical {
            case "--check", "--reload":
                guard inline == nil else {
                    return .failure(Problem(description: "'\(canonical)' takes no value"))
                }
                if canonical == "--check" { check = true } else { reload = true }
            default:
                guard let value = inline ?? rest.popFirst(), !value.isEmpty, inline != nil || !value.hasPrefix("-")
                else {
                    return .failure(Problem(description: "Missing value for '\(canonical) <\(canonical.dropFirst(2))>'"))
                }
                if canonical == "--config" {
                    options.configPath = value
                } else if let number = Int32(value), number > 0 {
                    pid = number
                } else {
                    return .failure(Problem(description: "The value '\(value)' is invalid for '--pid <pid>'"))
                }
            }
        }
        if check && reload { return .failure(Problem(description: "--check and --reload cannot be used together")) }
        if reload {
            guard let pid else {
                return .failure(
                    Problem(
                        description:
                            "--reload needs --pid PID, the running gateway's process id (or send it SIGHUP: kill -HUP PID)"
                    ))
            }
            options.action = .reload(pid: pid)
        } else if pid != nil {
            return .failure(Problem(description: "--pid is only used with --reload"))
        } else if check {
            options.action = .check
        }
        return .success(options)
    }

    /// `--config=FILE` as (`--config`, `FILE`); anything else whole (so `-check` is unknown,
    /// not a config file named `heck`).
    private static func split(_ argument: String) -> (name: String, value: String?) {
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        return (argument, nil)
    }
}
