// libFuzzer target `http-request`: arbitrary bytes through the request head parser, whole and split,
// and the parsed head written out again, which must parse to the same head.
import GatewayHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let message = input.message
    let split = input.split
    var whole = HTTPRequestParser(maxHeadSize: 4096)
    let result = whole.parse(message)
    let a = summarize(result)
    var parts = HTTPRequestParser(maxHeadSize: 4096)
    var b = summarize(parts.parse(UnsafeRawBufferPointer(rebasing: message[..<split])))
    if b == "needMore" { b = summarize(parts.parse(message)) }
    guard a == b else { fatalError("whole \(a) != split at \(split): \(b)") }
    guard case .complete(let head, let consumed) = result else { return 0 }

    checkHeaders(head.headers, consumed: consumed, available: message.count)
    precondition(head.framing != .untilClose, "a request framed until close")
    let bytes = head.headers.bytes
    precondition(head.method.upperBound <= bytes.count && head.target.upperBound <= bytes.count, "line ranges")
    precondition(!head.path.isEmpty, "an accepted request with an empty path")

    // The plainest spelling of the same head must mean the same request.
    let again = reserialized(startLine: startLine(of: head.headers), head.headers)
    var reparser = HTTPRequestParser(maxHeadSize: 8192)
    guard case .complete(let second, let used) = withBytes(again, { reparser.parse($0) }) else {
        fatalError("the reserialised head does not parse: \(summarize(withBytes(again, { reparser.parse($0) })))")
    }
    precondition(used == again.count, "the reserialised head left bytes")
    precondition(bytes[head.method].elementsEqual(second.headers.bytes[second.method]), "method changed")
    precondition(bytes[head.target].elementsEqual(second.headers.bytes[second.target]), "target changed")
    precondition(head.path == second.path && head.host == second.host, "path or host changed")
    precondition(head.version == second.version && head.framing == second.framing, "version or framing changed")
    precondition(head.keepAlive == second.keepAlive && head.isUpgrade == second.isUpgrade, "connection changed")
    precondition(fieldList(head.headers) == fieldList(second.headers), "fields changed")
    return 0
}
