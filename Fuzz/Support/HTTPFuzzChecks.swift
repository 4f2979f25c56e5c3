// Checks shared by the HTTP fuzz targets: a head's ranges stay inside its bytes, and a head
// written out again from its parsed fields parses to the same thing.
import GatewayHTTP

/// The input's first byte steers the target (split point, method, framing); the rest is the message.
struct FuzzInput {
    let control: UInt8
    let message: UnsafeRawBufferPointer

    init?(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        guard let data, size > 0 else { return nil }
        let input = UnsafeRawBufferPointer(start: data, count: size)
        control = input[0]
        message = UnsafeRawBufferPointer(rebasing: input[1...])
    }

    /// Where to cut the message in two for incremental feeding.
    var split: Int { message.isEmpty ? 0 : Int(control) % (message.count + 1) }
}

/// A parse result with the head left out, for comparing two ways of feeding the same bytes.
func summarize<Head>(_ result: HTTPParseResult<Head>) -> String {
    switch result {
    case .needMore: return "needMore"
    case .failure(let error): return "failure \(error)"
    case .complete(_, let consumed): return "complete \(consumed)"
    }
}

/// Every field range lies inside the head, which ends with CRLF CRLF and is not longer than the input.
func checkHeaders(_ headers: HTTPHeaders, consumed: Int, available: Int) {
    precondition(consumed <= available && headers.bytes.count <= consumed, "consumed \(consumed) of \(available)")
    for field in headers.fields {
        precondition(field.line.upperBound <= headers.bytes.count, "field line out of the head")
        precondition(field.name.lowerBound == field.line.lowerBound && !field.name.isEmpty, "field name")
        precondition(
            field.value.lowerBound >= field.name.upperBound && field.value.upperBound <= field.line.upperBound - 2,
            "field value out of its line")
    }
    precondition(headers.bytes.suffix(4).elementsEqual([13, 10, 13, 10]), "head does not end with CRLF CRLF")
}

/// `start-line CRLF` then each field as `name: value CRLF`, then CRLF: the head in its plainest spelling.
func reserialized(startLine: ArraySlice<UInt8>, _ headers: HTTPHeaders) -> [UInt8] {
    var out = Array(startLine)
    out += [13, 10]
    for i in 0..<headers.count {
        out += headers.name(at: i)
        out += [0x3A, 0x20]
        out += headers.value(at: i)
        out += [13, 10]
    }
    out += [13, 10]
    return out
}

/// The fields as (name, value) byte arrays, for comparing two parses.
func fieldList(_ headers: HTTPHeaders) -> [[UInt8]] {
    (0..<headers.count).flatMap { [Array(headers.name(at: $0)), Array(headers.value(at: $0))] }
}

/// The bytes up to (not including) the first CRLF of a head.
func startLine(of headers: HTTPHeaders) -> ArraySlice<UInt8> {
    let bytes = headers.bytes
    let end = bytes.firstIndex(of: 13) ?? bytes.endIndex
    return bytes[..<end]
}

func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
    bytes.withUnsafeBytes(body)
}
