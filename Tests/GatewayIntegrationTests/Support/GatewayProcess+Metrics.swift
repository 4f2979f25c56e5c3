// The metrics listener of a gateway under test: its port and one parsed scrape.
import Foundation
import XCTest

extension GatewayProcess {
    /// The metrics port, read from the "metrics listening" log line.
    func metricsPort() throws -> Int {
        try child.waitFor("the metrics listener", in: { self.child.stderr }) { text in
            for line in text.split(separator: "\n") where line.contains("\"msg\":\"metrics listening\"") {
                if let range = line.range(of: "\"address\":\"127.0.0.1:") {
                    return Int(line[range.upperBound...].prefix { $0.isNumber })
                }
            }
            return nil
        }
    }

    static func scrape(_ port: Int) throws -> Scrape {
        let response = try RawHTTPClient(port: port).request("GET", "/metrics", host: "127.0.0.1:\(port)")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        return Scrape(response.text)
    }
}

/// One scrape's samples, by the series as printed (`name{labels}`).
struct Scrape {
    let text: String
    let samples: [String: Double]

    init(_ text: String) {
        self.text = text
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        self.samples = samples
    }

    func value(_ series: String) -> Double? { samples[series] }

    /// A series absent before counts from zero (it appears on its first event).
    func delta(_ before: Scrape, _ series: String) -> Double {
        (samples[series] ?? 0) - (before.samples[series] ?? 0)
    }

    func sum(prefix: String) -> Double {
        samples.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
    }
}
