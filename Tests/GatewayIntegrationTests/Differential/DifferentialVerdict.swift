// One parser's verdict on a byte stream of requests, and ours computed with HTTPRequestParser + HTTPBodyDecoder.
import GatewayHTTP

/// The fields both sides report for a message they accepted.
struct DifferentialMessage: Codable, Equatable {
    var method: String
    /// Hex of the raw request-target.
    var target: String
    /// "1.1" or "1.0".
    var version: String
    /// "none", "length" or "chunked".
    var framing: String
    var length: UInt64?
    /// Decoded payload bytes.
    var body: Int
    /// The offset just past the message (its body included).
    var end: Int
    /// The rest of the stream is a tunnel (CONNECT, or an Upgrade the parser honours).
    var upgrade: Bool

    /// Everything but `upgrade`: llhttp honours any Upgrade, the gateway only websocket.
    func sameFraming(_ other: DifferentialMessage) -> Bool {
        var a = self
        var b = other
        a.upgrade = false
        b.upgrade = false
        return a == b
    }
}

struct DifferentialVerdict: Codable, Equatable {
    var messages: [DifferentialMessage]
    /// "complete" (every byte used), "incomplete" (a message needs more bytes), "error", or "closed"
    /// (bytes after a message that ends the connection).
    var state: String
    var error: String?
}

extension DifferentialVerdict {
    /// Runs the gateway's parser over `bytes` the way a client connection does: head, body, next head.
    /// With `split`, only the first `split` bytes have arrived at first and the rest comes in a second read.
    static func ours(_ bytes: [UInt8], split: Int? = nil) -> DifferentialVerdict {
        var verdict = DifferentialVerdict(messages: [], state: "complete", error: nil)
        var parser = HTTPRequestParser()
        var offset = 0
        bytes.withUnsafeBytes { all in
            var available = min(split ?? all.count, all.count)
            while offset < all.count {
                let result = parser.parse(UnsafeRawBufferPointer(rebasing: all[offset..<max(offset, available)]))
                if case .needMore = result, available < all.count {
                    available = all.count
                    continue
                }
                guard case .complete(let head, let consumed) = result else {
                    if case .failure(let error) = result {
                        verdict.state = "error"
                        verdict.error = error.description
                    } else if !onlyEmptyLines(all[offset...]) {
                        // Empty lines between messages are ignored by both parsers (RFC 9112 §2.2).
                        verdict.state = "incomplete"
                    }
                    return
                }
                var decoder = HTTPBodyDecoder(framing: head.framing)
                var body = 0
                var end = offset + consumed
                do throws(HTTPParseError) {
                    while true {
                        end += try decoder.decode(UnsafeRawBufferPointer(rebasing: all[end..<available])) {
                            body += $0.count
                        }
                        if decoder.isComplete || available == all.count { break }
                        available = all.count
                    }
                } catch {
                    verdict.state = "error"
                    verdict.error = error.description
                    return
                }
                guard decoder.isComplete else {
                    verdict.state = "incomplete"
                    return
                }
                offset = end
                let upgrade = head.isUpgrade || head.methodKind == .connect
                verdict.messages.append(message(head, body: body, end: offset, upgrade: upgrade))
                if upgrade { return }
                if !head.keepAlive {
                    if offset < all.count { verdict.state = "closed" }
                    return
                }
                parser.reset()
            }
        }
        return verdict
    }

    private static func onlyEmptyLines(_ rest: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard rest.count % 2 == 0 else { return false }
        return stride(from: rest.startIndex, to: rest.endIndex, by: 2).allSatisfy {
            rest[$0] == 0x0D && rest[$0 + 1] == 0x0A
        }
    }

    private static func message(_ head: HTTPRequestHead, body: Int, end: Int, upgrade: Bool) -> DifferentialMessage {
        let framing: String
        var length: UInt64?
        switch head.framing {
        case .none: framing = "none"
        case .length(let n):
            framing = "length"
            length = n
        case .chunked: framing = "chunked"
        case .untilClose: framing = "until-close"
        }
        return DifferentialMessage(
            method: head.methodString, target: hex(head.headers.bytes[head.target]),
            version: "\(head.version.major).\(head.version.minor)", framing: framing, length: length, body: body,
            end: end, upgrade: upgrade)
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
