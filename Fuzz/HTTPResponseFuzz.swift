// libFuzzer target `http-response`: arbitrary bytes through the response head parser for a request
// method the first byte picks, whole and split, and the head written out again must parse the same.
import GatewayHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let message = input.message
    let split = input.split
    let methods: [HTTPMethodKind] = [.get, .head, .post, .connect]
    let method = methods[Int(input.control >> 6)]
    var whole = HTTPResponseParser(maxHeadSize: 4096)
    let result = whole.parse(message, requestMethod: method)
    let a = summarize(result)
    var parts = HTTPResponseParser(maxHeadSize: 4096)
    var b = summarize(parts.parse(UnsafeRawBufferPointer(rebasing: message[..<split]), requestMethod: method))
    if b == "needMore" { b = summarize(parts.parse(message, requestMethod: method)) }
    guard a == b else { fatalError("whole \(a) != split at \(split): \(b)") }
    guard case .complete(let head, let consumed) = result else { return 0 }

    checkHeaders(head.headers, consumed: consumed, available: message.count)
    precondition((100...999).contains(head.status), "status \(head.status)")
    if method == .head || head.status == 204 || head.status == 304 || (100..<200).contains(head.status) {
        precondition(head.framing == .none, "a \(head.status) answer to \(method) with a body")
    }

    let again = reserialized(startLine: startLine(of: head.headers), head.headers)
    var reparser = HTTPResponseParser(maxHeadSize: 8192)
    guard case .complete(let second, let used) = withBytes(again, { reparser.parse($0, requestMethod: method) })
    else { fatalError("the reserialised head does not parse") }
    precondition(used == again.count, "the reserialised head left bytes")
    precondition(head.status == second.status && head.version == second.version, "status line changed")
    precondition(head.framing == second.framing && head.keepAlive == second.keepAlive, "framing changed")
    precondition(fieldList(head.headers) == fieldList(second.headers), "fields changed")
    return 0
}
