// libFuzzer target `http-body`: arbitrary bytes through the body decoder (chunked or Content-Length
// framing, as the first byte says), whole, split in two and a byte at a time; all must agree, no
// payload may exceed its length, and a decoded chunked body encoded again decodes to the same payload.
import GatewayHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let body = input.message
    let framing: BodyFraming
    switch input.control & 0x03 {
    case 0, 1: framing = .chunked
    case 2: framing = .length(UInt64(input.control >> 2) * 7)  // 0...441 bytes
    default: framing = .untilClose
    }
    let whole = decode(body, framing: framing, ends: [body.count])
    let split = decode(body, framing: framing, ends: [Swift.min(input.split, body.count), body.count])
    guard whole == split else { fatalError("\(framing): whole \(whole) != split at \(input.split): \(split)") }
    if body.count <= 512 {
        let single = decode(body, framing: framing, ends: Array(stride(from: 0, through: body.count, by: 1)))
        guard whole == single else { fatalError("\(framing): whole \(whole) != byte by byte: \(single)") }
    }
    precondition(whole.consumed <= body.count, "consumed past the input")
    precondition(whole.error != nil || whole.payload.count <= whole.consumed, "more payload than bytes consumed")
    if case .length(let n) = framing {
        precondition(whole.payload.count <= Int(n), "payload beyond Content-Length")
        precondition(
            whole.error != nil || whole.complete == (whole.payload.count == Int(n)),
            "length framing done at the wrong byte")
    }
    if framing == .chunked, whole.error == nil, whole.complete {
        var encoded: [UInt8] = []
        if !whole.payload.isEmpty {
            HTTPSerializer.appendChunkHeader(whole.payload.count, to: &encoded)
            encoded += whole.payload + HTTPSerializer.chunkTerminator
        }
        encoded += HTTPSerializer.lastChunk
        let again = encoded.withUnsafeBytes { decode($0, framing: .chunked, ends: [$0.count]) }
        precondition(again.payload == whole.payload && again.complete && again.consumed == encoded.count, "re-encoded")
    }
    return 0
}

struct Decoded: Equatable {
    /// Bytes consumed, or -1 after an error (a throw returns no count).
    var consumed = 0
    var payload: [UInt8] = []
    var error: String?
    var complete = false
}

/// `ends` are how far the received bytes reach at each call; unconsumed bytes are offered again.
func decode(_ body: UnsafeRawBufferPointer, framing: BodyFraming, ends: [Int]) -> Decoded {
    var decoder = HTTPBodyDecoder(framing: framing, maxTrailerSize: 512)
    var out = Decoded()
    for end in ends {
        do {
            out.consumed += try decoder.decode(UnsafeRawBufferPointer(rebasing: body[out.consumed..<end])) {
                out.payload.append(contentsOf: $0)
            }
        } catch {
            out.error = "\(error)"
            out.consumed = -1
            return out
        }
        precondition(out.consumed <= end, "consumed past the bytes offered")
        if decoder.isComplete { break }
    }
    out.complete = decoder.isComplete
    return out
}
