// `"2026-12-02T00:24:18.642Z"` for log lines, quotes included: the date and time are formatted
// once a second, the milliseconds for each line. The one timestamp format of every log.
import Glibc

public struct LogTimestamp: Sendable {
    private var second = Int.min
    /// `"YYYY-MM-DDTHH:MM:SS.mmmZ"` for `second`; each call rewrites the milliseconds.
    private var text: [UInt8] = []

    public init() {}

    /// The current wall-clock time, quoted.
    public mutating func now() -> [UInt8] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return at(seconds: Int(ts.tv_sec), millis: Int(ts.tv_nsec / 1_000_000))
    }

    public mutating func at(seconds: Int, millis: Int) -> [UInt8] {
        if seconds != second {
            second = seconds
            var t = tm()
            var s = seconds
            gmtime_r(&s, &t)
            text = [0x22]
            func pad(_ v: Int32, _ width: Int, _ then: UInt8) {
                let digits = String(v)
                text.append(contentsOf: repeatElement(0x30, count: max(0, width - digits.utf8.count)))
                text.append(contentsOf: digits.utf8)
                text.append(then)
            }
            pad(t.tm_year + 1900, 4, 0x2D)
            pad(t.tm_mon + 1, 2, 0x2D)
            pad(t.tm_mday, 2, 0x54)
            pad(t.tm_hour, 2, 0x3A)
            pad(t.tm_min, 2, 0x3A)
            pad(t.tm_sec, 2, 0x2E)
            text.append(contentsOf: "000Z\"".utf8)
        }
        let n = text.count
        text[n - 5] = 0x30 + UInt8(millis / 100 % 10)
        text[n - 4] = 0x30 + UInt8(millis / 10 % 10)
        text[n - 3] = 0x30 + UInt8(millis % 10)
        return text
    }
}
