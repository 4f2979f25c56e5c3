// Builds the heads sent on: copies the other side's field lines and edits only what must change.
import GatewayHTTP

enum HeadRewriter {
    /// The request head for the upstream: hop-by-hop fields, `Expect` and every identity header
    /// name are dropped; `X-Forwarded-For/Proto/Host` are set; the client's Host is kept.
    static func upstreamRequest(
        _ head: HTTPRequestHead, clientIP: String, isTLS: Bool, route: Route, defaultHost: String,
        keepAlive: Bool, identity: [UInt8]? = nil
    ) -> [UInt8] {
        let h = head.headers
        var out: [UInt8] = []
        out.reserveCapacity(h.bytes.count + 128)
        out.append(contentsOf: h.bytes[head.method])
        out.append(0x20)
        if head.absoluteFormAuthority != nil {
            out.append(contentsOf: head.path)
        } else {
            out.append(contentsOf: h.bytes[head.target])
        }
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)

        var priorForwardedFor: [UInt8] = []
        var hasHost = false
        for i in h.fields.indices {
            if h.isHopByHop(at: i, connectionTokens: head.connectionTokens) { continue }
            if h.nameEquals(at: i, "x-forwarded-for") {
                if !priorForwardedFor.isEmpty { priorForwardedFor.append(contentsOf: ", ".utf8) }
                priorForwardedFor.append(contentsOf: h.value(at: i))
                continue
            }
            if h.nameEquals(at: i, "x-forwarded-proto") || h.nameEquals(at: i, "x-forwarded-host")
                || h.nameEquals(at: i, "expect") || isIdentityHeader(h, i, route.strippedHeaderNames)
            {
                continue
            }
            if h.nameEquals(at: i, "host") {
                // An absolute-form target's authority replaces Host (RFC 9112 §3.2.2).
                if head.absoluteFormAuthority != nil { continue }
                hasHost = true
            }
            out.append(contentsOf: h.bytes[h.fields[i].line])
        }
        if !hasHost {
            out.append(contentsOf: "Host: ".utf8)
            if let authority = head.absoluteFormAuthority {
                out.append(contentsOf: authority)
            } else {
                out.append(contentsOf: defaultHost.utf8)
            }
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "X-Forwarded-For: ".utf8)
        if !priorForwardedFor.isEmpty {
            out.append(contentsOf: priorForwardedFor)
            out.append(contentsOf: ", ".utf8)
        }
        out.append(contentsOf: clientIP.utf8)
        out.append(contentsOf: isTLS ? "\r\nX-Forwarded-Proto: https\r\n".utf8 : "\r\nX-Forwarded-Proto: http\r\n".utf8)
        if let host = head.host {
            out.append(contentsOf: "X-Forwarded-Host: ".utf8)
            out.append(contentsOf: host)
            out.append(contentsOf: "\r\n".utf8)
        }
        if head.framing == .chunked {
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        if let identity { out.append(contentsOf: identity) }
        if head.isUpgrade {
            // Only websocket is ever upgraded to; any other Upgrade was dropped above.
            out.append(contentsOf: "Connection: upgrade\r\nUpgrade: websocket\r\n".utf8)
        } else if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        return out
    }

    /// How the response body travels to the client.
    enum ClientFraming {
        case asIs  // Content-Length or no body: bytes pass unchanged
        case chunked  // re-framed as chunks
        case untilClose  // HTTP/1.0 client and no length: the connection's end ends the body
    }

    /// The response head for the client, and how its body must be framed.
    static func clientResponse(
        _ response: HTTPResponseHead, clientVersion: HTTPVersion, keepAlive: Bool, upgrade: Bool
    ) -> (bytes: [UInt8], framing: ClientFraming, keepAlive: Bool) {
        let h = response.headers
        var framing = ClientFraming.asIs
        var keepAlive = keepAlive
        switch response.framing {
        case .chunked, .untilClose:
            if clientVersion.minor >= 1 {
                framing = .chunked
            } else {
                framing = .untilClose
                keepAlive = false
            }
        case .none, .length:
            break
        }
        var out: [UInt8] = []
        out.reserveCapacity(h.bytes.count + 64)
        let statusLineEnd = h.fields.first?.line.lowerBound ?? (h.bytes.count - 2)
        out.append(contentsOf: "HTTP/1.1".utf8)
        out.append(contentsOf: h.bytes[8..<statusLineEnd])
        for i in h.fields.indices {
            if h.isHopByHop(at: i, connectionTokens: response.connectionTokens) {
                if upgrade && h.nameEquals(at: i, "upgrade") {
                    out.append(contentsOf: h.bytes[h.fields[i].line])
                }
                continue
            }
            out.append(contentsOf: h.bytes[h.fields[i].line])
        }
        if upgrade {
            out.append(contentsOf: "Connection: upgrade\r\n".utf8)
        } else {
            if framing == .chunked { out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
            if !keepAlive {
                out.append(contentsOf: "Connection: close\r\n".utf8)
            } else if clientVersion.minor == 0 {
                out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
            }
        }
        out.append(contentsOf: "\r\n".utf8)
        return (out, framing, keepAlive)
    }

    private static func isIdentityHeader(_ h: HTTPHeaders, _ i: Int, _ names: [[UInt8]]) -> Bool {
        let range = h.fields[i].name
        for name in names where name.count == range.count {
            var equal = true
            var j = range.lowerBound
            for b in name {
                let c = h.bytes[j]
                if (c &- 0x41 < 26 ? c | 0x20 : c) != b {
                    equal = false
                    break
                }
                j += 1
            }
            if equal { return true }
        }
        return false
    }
}
