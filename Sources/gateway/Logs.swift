// The error and access loggers, built from the config's log targets.
import GatewayConfig
import GatewayCore
import GatewayLogging
import Logging

struct Logs: Sendable {
    let error: Logger
    /// Where access-log lines go; each loop formats its own (GatewayProxy's `AccessLog`).
    let accessSink: LogSink?
    /// Each distinct sink once, by the log it serves ("error", "access").
    let named: [(String, LogSink)]

    init(config: GatewayConfiguration) throws {
        let errorSink = try Self.sink(config.errorLog) ?? .standardError
        error = Logger(label: "gateway") { label in
            JSONLogHandler(label: label, sink: errorSink, level: Self.level(config.errorLogLevel))
        }
        var named = [("error", errorSink)]
        accessSink = try Self.sink(config.accessLog)
        if let accessSink, accessSink !== errorSink { named.append(("access", accessSink)) }
        self.named = named
    }

    func flush() {
        for (_, sink) in named { sink.flushNow() }
    }

    private static func sink(_ target: LogTarget) throws -> LogSink? {
        switch target {
        case .off: nil
        case .stdout: .standardOutput
        case .stderr: .standardError
        case .file(let path): try LogSink.file(path)
        }
    }

    private static func level(_ level: LogLevel) -> Logger.Level {
        switch level {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}
