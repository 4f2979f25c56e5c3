// Which certificate answers a server name (SNI): exact names first, then one-label wildcards.

/// Server names to certificate indexes, built from each certificate's DNS names.
///
/// `*.example.com` covers exactly one label (`a.example.com`, not `example.com` nor
/// `a.b.example.com`). An exact name wins over a wildcard; when two certificates carry the same
/// name the earlier one wins. Names compare case-insensitively, a trailing dot ignored.
struct TLSNameTable: Sendable {
    private var exact: [String: Int] = [:]
    private var wildcards: [String: Int] = [:]

    /// `names[i]` are the DNS names of certificate `i`.
    init(names: [[String]]) {
        for (index, list) in names.enumerated() {
            for name in list {
                let name = Self.normalized(name)
                if name.hasPrefix("*.") {
                    let suffix = String(name.dropFirst(2))
                    if !suffix.isEmpty, wildcards[suffix] == nil { wildcards[suffix] = index }
                } else if !name.isEmpty, !name.contains("*"), exact[name] == nil {
                    exact[name] = index
                }
            }
        }
    }

    /// The certificate for `serverName`, or nil when none names it (the caller uses the default).
    func index(for serverName: String) -> Int? {
        let name = Self.normalized(serverName)
        if let index = exact[name] { return index }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        return wildcards[String(name[name.index(after: dot)...])]
    }

    private static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
