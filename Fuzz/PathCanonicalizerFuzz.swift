// libFuzzer target `path`: arbitrary request targets through the path canonicaliser. A canonical
// path has no dot segment, no `//`, no control byte or `\`; canonicalising it again changes nothing.
import GatewayHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let allowEncodedSlashes = data[0] & 1 == 1
    let target = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard
        case .canonical(let canonical) = PathCanonicalizer.canonicalize(
            target, allowEncodedSlashes: allowEncodedSlashes)
    else { return 0 }

    let path = Array(canonical.path)
    precondition(path.first == 0x2F, "a canonical path that does not start with /")
    precondition(!path.contains(0x3F) && !path.contains(0x23) && !path.contains(0x5C), "? # or \\ in the path")
    precondition(!path.contains { $0 < 0x20 || $0 == 0x7F }, "a control byte in the path")
    precondition(canonical.pathEnd <= canonical.forwarded.count, "pathEnd past the target")
    checkSegments(path, allowEncodedSlashes: allowEncodedSlashes)
    checkSegments(Array(canonical.matchPath), allowEncodedSlashes: allowEncodedSlashes)
    precondition(canonical.matchPath.count <= path.count, "the match path is longer than the path")
    // The query travels unchanged.
    let query = canonical.forwarded[canonical.pathEnd...]
    precondition(query.isEmpty || query.first == 0x3F, "the query does not start at ?")
    precondition(target.reversed().starts(with: query.reversed()), "the query changed")

    // Idempotent: the canonical form is its own canonical form.
    guard
        case .canonical(let again) = PathCanonicalizer.canonicalize(
            canonical.forwarded, allowEncodedSlashes: allowEncodedSlashes)
    else { fatalError("the canonical target is rejected when canonicalised again") }
    precondition(again == canonical || again.forwarded == canonical.forwarded, "canonicalising twice changed it")
    precondition(again.matchPath.elementsEqual(canonical.matchPath), "the match path changed")
    return 0
}

/// No segment is `.` or `..` in any spelling (also before a `;param`), and no segment is empty
/// except the last (a trailing `/`).
private func checkSegments(_ path: [UInt8], allowEncodedSlashes: Bool) {
    let segments = path.dropFirst().split(separator: 0x2F, omittingEmptySubsequences: false)
    for (i, segment) in segments.enumerated() {
        precondition(!segment.isEmpty || i == segments.count - 1, "an empty segment (//) in \(path)")
        let name = segment.split(separator: 0x3B, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        precondition(!name.elementsEqual([0x2E]) && !name.elementsEqual([0x2E, 0x2E]), "a dot segment in \(path)")
        precondition(!contains(name, "%2E") && !contains(name, "%2e"), "an encoded dot left in \(path)")
    }
}

private func contains(_ bytes: ArraySlice<UInt8>, _ text: String) -> Bool {
    let needle = Array(text.utf8)
    guard bytes.count >= needle.count else { return false }
    var i = bytes.startIndex
    while i + needle.count <= bytes.endIndex {
        if bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
        i += 1
    }
    return false
}
