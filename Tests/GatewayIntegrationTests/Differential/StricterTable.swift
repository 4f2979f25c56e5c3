// stricter.tsv and lenient.tsv: the cases where the gateway differs from llhttp, each with its reason.
import Foundation

struct StricterTable {
    struct Entry {
        var ourError: String
        var reason: String
        var line: Int
    }

    let entries: [String: Entry]

    /// Lines are `case id<TAB>our error<TAB>reason`; `#` starts a comment line.
    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var entries: [String: Entry] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[2].isEmpty else {
                throw TableError(description: "\(url.lastPathComponent):\(index + 1): expected id, error, reason")
            }
            let id = String(parts[0])
            guard entries[id] == nil else {
                throw TableError(description: "\(url.lastPathComponent):\(index + 1): \(id) listed twice")
            }
            entries[id] = Entry(ourError: String(parts[1]), reason: String(parts[2]), line: index + 1)
        }
        self.entries = entries
    }

    struct TableError: Error, CustomStringConvertible {
        var description: String
    }
}
