// A swift-log handler that writes one JSON object per line to a LogSink.
import GatewayCore
import GatewayJSON
import Glibc
import Logging

public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: LogSink

    public init(label: String, sink: LogSink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        sink.write(Self.render(label: label, level: event.level, message: event.message.description, metadata: merged))
    }

    /// One line of JSON: valid whatever bytes the metadata carries (tests parse it).
    public static func render(label: String, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String
    {
        var w = JSONWriter()
        w.beginObject()
        var clock = LogTimestamp()  // any thread logs here: no shared per-second cache
        w.key("time")
        w.raw(utf8: clock.now())
        w.field("level", level.rawValue)
        w.field("log", label)
        w.field("msg", message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            w.key(key)
            write(value, to: &w)
        }
        w.endObject()
        return w.text
    }
}

/// Metadata values: numbers stay numbers, nested arrays and dictionaries nest.
extension JSONLogHandler {
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: what the gateway logs as numbers (status, ms, bytes).
    static func isJSONNumber(_ s: String) -> Bool {
        var u = s.utf8[...]
        if u.first == 0x2D { u = u.dropFirst() }
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        let int = u.prefix(while: isDigit)
        guard !int.isEmpty, int.first != 0x30 || int.count == 1 else { return false }
        u = u.dropFirst(int.count)
        if u.isEmpty { return true }
        guard u.first == 0x2E else { return false }
        let frac = u.dropFirst().prefix(while: isDigit)
        return !frac.isEmpty && frac.count == u.count - 1
    }

    static func write(_ value: Logger.Metadata.Value, to w: inout JSONWriter) {
        switch value {
        case .string(let s):
            // Numbers logged as strings stay numbers in the JSON, so log tools can sum them.
            // Only JSON's own number grammar: `Double` also takes `-nan`, `-0x1F` and `1.`,
            // which a client can send as a method and would break the line.
            if isJSONNumber(s) {
                w.raw(s)
            } else {
                w.string(s)
            }
        case .stringConvertible(let c):
            w.string(c.description)
        case .array(let items):
            w.beginArray()
            for item in items { write(item, to: &w) }
            w.endArray()
        case .dictionary(let dict):
            w.beginObject()
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                w.key(k)
                write(v, to: &w)
            }
            w.endObject()
        }
    }
}
