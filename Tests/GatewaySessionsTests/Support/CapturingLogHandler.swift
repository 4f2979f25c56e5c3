// A log handler that keeps every line, to check what the Redis client logs (and never logs).
import Logging

struct CapturingLogHandler: LogHandler {
    let lines: Box<String>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append(
            "\(event.level) \(event.message) \(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
    }

    static func logger() -> (Logger, Box<String>) {
        let lines = Box<String>()
        return (Logger(label: "test.redis") { _ in CapturingLogHandler(lines: lines) }, lines)
    }
}
