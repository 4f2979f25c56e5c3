// The usual process_* metrics, read from /proc at scrape time (Linux).
import Glibc
import Prometheus
import Synchronization

/// CPU seconds, memory, open and maximum file descriptors, and the start time, as the
/// Prometheus client libraries name them. Read only when a scrape renders.
///
/// Thread-safety: `update` runs on a scraping queue; the last CPU reading is behind a mutex.
final class ProcessMetrics: Sendable {
    private let cpu: Counter
    private let resident: Gauge
    private let virtual: Gauge
    private let openFDs: Gauge
    private let maxFDs: Gauge
    private let startTime: Gauge
    /// The CPU seconds already added to `cpu` (a counter only goes up, by differences).
    private let cpuSeen = Mutex<Double>(0)

    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.makeCounter(
            name: "process_cpu_seconds_total", labels: [], help: "Total user and system CPU time spent in seconds.")
        resident = registry.makeGauge(
            name: "process_resident_memory_bytes", labels: [], help: "Resident memory size in bytes.")
        virtual = registry.makeGauge(
            name: "process_virtual_memory_bytes", labels: [], help: "Virtual memory size in bytes.")
        openFDs = registry.makeGauge(name: "process_open_fds", labels: [], help: "Number of open file descriptors.")
        maxFDs = registry.makeGauge(
            name: "process_max_fds", labels: [], help: "Maximum number of open file descriptors.")
        startTime = registry.makeGauge(
            name: "process_start_time_seconds", labels: [],
            help: "Start time of the process since unix epoch in seconds.")
    }

    func update() {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let stat = Self.statFields() {
            // Fields after the command: index 0 is field 3 (state); utime 14, stime 15,
            // starttime 22, vsize 23, rss 24 (pages).
            let seconds = ((Double(stat[11]) ?? 0) + (Double(stat[12]) ?? 0)) / ticks
            let delta = cpuSeen.withLock { seen -> Double in
                defer { seen = max(seen, seconds) }
                return seconds - seen
            }
            if delta > 0 { cpu.increment(by: delta) }
            virtual.set(to: Double(stat[20]) ?? 0)
            resident.set(to: (Double(stat[21]) ?? 0) * Double(sysconf(Int32(_SC_PAGESIZE))))
            if let boot = Self.bootTime() { startTime.set(to: boot + (Double(stat[19]) ?? 0) / ticks) }
        }
        openFDs.set(to: Double(Self.countOpenFDs()))
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
    }

    /// /proc/self/stat after the `(comm)` field, which may itself hold spaces.
    static func statFields() -> [Substring]? {
        guard let text = readFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 21 ? fields : nil
    }

    static func bootTime() -> Double? {
        guard let text = readFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingSuffixNewline)
        }
        return nil
    }

    static func countOpenFDs() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count - 1  // the directory stream's own descriptor
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate var trimmingSuffixNewline: String {
        var s = String(self)
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
