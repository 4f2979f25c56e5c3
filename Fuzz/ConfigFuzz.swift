// libFuzzer target `config`: arbitrary text through gateway.conf's lexer, parser and validator
// (`ConfigLoader.load(text:)`). Every problem names a line and column inside the text, a load that
// throws has at least one message, and loading the same text twice gives the same answer.
import GatewayConfig

#if canImport(Glibc)
    import Glibc
#endif

/// `include` resolves against this folder (deploy/fuzz runs in .build-fuzz/), so the fuzzer reads
/// only the two files put there; the same folder every run, so none is left behind.
private let baseDirectory: String = {
    let dir = "config-scratch"
    mkdir(dir, 0o755)
    write(dir + "/a.conf", "upstream extra { server 127.0.0.1:9; }\n")
    mkdir(dir + "/conf.d", 0o755)
    write(dir + "/conf.d/b.conf", "location /b/ { auth off; proxy_pass app; }\n")
    return dir
}()

private let environment = [
    "GATEWAY_COOKIE_SECRET": String(repeating: "s", count: 40), "PORT": "8080", "EMPTY": "",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard staysInside(bytes) else { return -1 }  // -1: libFuzzer keeps it out of the corpus
    let text = String(decoding: bytes, as: UTF8.self)
    let first = load(text)
    let second = load(text)
    precondition(first == second, "two loads of the same text disagree")
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    for message in first where message.hasPrefix("gateway.conf:") {
        let parts = message.split(separator: ":", maxSplits: 3)
        guard parts.count == 4, let line = Int(parts[1]), let column = Int(parts[2]) else {
            fatalError("a message without file:line:column: \(message)")
        }
        precondition(line >= 1 && line <= lines + 1 && column >= 1, "position \(line):\(column) outside the text")
        precondition(!parts[3].trimmingPrefix(" ").isEmpty, "an empty message")
    }
    return 0
}

/// Every problem as `file:line:col: message`, or `ok` when the configuration is valid.
private func load(_ text: String) -> [String] {
    do {
        let configuration = try ConfigLoader.load(
            text: text, file: "gateway.conf", environment: environment, baseDirectory: baseDirectory)
        precondition(!configuration.listeners.isEmpty, "a valid configuration without a listener")
        return ["ok"]
    } catch {
        precondition(!error.diagnostics.isEmpty, "a failed load without a message")
        return error.diagnostics.map(\.description)
    }
}

/// Keeps `include` and file paths inside the scratch folder: no `..`, no absolute include, no
/// device or kernel files (reading `/dev/zero` would never end).
private func staysInside(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    for banned in ["/dev", "/proc", "/sys", ".."] where text.contains(banned) { return false }
    var rest = text[...]
    while let found = rest.firstRange(of: "include") {
        let after = rest[found.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\"" || $0 == "'" }
        if let c = after.first, c == "/" || c == "~" || c == "$" || c == "\\" { return false }
        rest = rest[found.upperBound...]
    }
    return true
}

private func write(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return }
    _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
