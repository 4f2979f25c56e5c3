// `"2026-12-02T00:24:18.642Z"` for log lines: the date and time are formatted once a second, the
// milliseconds for each line.
import GatewayJSON
import Glibc

struct LogTimestamp {
    private var second = Int.min
    /// `"YYYY-MM-DDTHH:MM:SS.mmmZ"` for `second`; each line rewrites the milliseconds.
    private var text: [UInt8] = []

    /// The current wall-clock time as a quoted JSON string.
    mutating func append(to w: inout JSONWriter) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        append(seconds: Int(ts.tv_sec), millis: Int(ts.tv_nsec / 1_000_000), to: &w)
    }

    mutating func append(seconds: Int, millis: Int, to w: inout JSONWriter) {
        if seconds != second {
            second = seconds
            var t = tm()
            var s = seconds
            gmtime_r(&s, &t)
            text = Array("\"".utf8)
            func pad(_ v: Int32, _ width: Int, _ then: Character) {
                let digits = String(v)
                text.append(contentsOf: String(repeating: "0", count: max(0, width - digits.count)).utf8)
                text.append(contentsOf: digits.utf8)
                text.append(contentsOf: String(then).utf8)
            }
            pad(t.tm_year + 1900, 4, "-")
            pad(t.tm_mon + 1, 2, "-")
            pad(t.tm_mday, 2, "T")
            pad(t.tm_hour, 2, ":")
            pad(t.tm_min, 2, ":")
            pad(t.tm_sec, 2, ".")
            text.append(contentsOf: "000Z\"".utf8)
        }
        let n = text.count
        text[n - 5] = 0x30 + UInt8(millis / 100 % 10)
        text[n - 4] = 0x30 + UInt8(millis / 10 % 10)
        text[n - 3] = 0x30 + UInt8(millis % 10)
        w.raw(utf8: text)
    }
}
