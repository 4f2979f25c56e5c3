// Builds the heads sent on: copies the other side's field lines and edits only what must change.
import GatewayHTTP

enum HeadRewriter {
    /// The request head for the upstream: `target` (the canonical one) replaces the client's;
    /// hop-by-hop fields, `Expect`, every spelling of an identity header name, the gateway's
    /// cookies and (unless `underscores_in_headers on`) names with `_` are dropped.
    /// `X-Forwarded-For/Proto/Host`, `Forwarded` and `X-Real-IP` are believed only from a
    /// trusted peer: its X-Forwarded-For is appended to and its Proto/Host kept; from anyone
    /// else they are replaced by the gateway's own values (Forwarded and X-Real-IP dropped).
    /// `trace` is written as `X-Request-Id`, `traceparent` and (from a trusted proxy) `tracestate`.
    static func upstreamRequest(
        _ head: HTTPRequestHead, target: [UInt8], peerIP: String, peerTrusted: Bool, isTLS: Bool,
        policy: ForwardingPolicy, defaultHost: String, keepAlive: Bool, identity: [UInt8]? = nil,
        trace: RequestTrace? = nil
    ) -> [UInt8] {
        let h = head.headers
        var out: [UInt8] = []
        // Room for what is added below, so the head is built in one allocation: the forwarding
        // fields, the trace fields (about 200 bytes together) and the identity block. (With 128
        // spare bytes every proxied request grew the array once more.)
        out.reserveCapacity(
            h.bytes.count + 384 + peerIP.utf8.count + defaultHost.utf8.count + (identity?.count ?? 0)
                + (trace?.traceState?.count ?? 0))
        out.append(h.bytes, range: head.method)
        out.append(0x20)
        out.append(contentsOf: target)
        out.append(literal: " HTTP/1.1\r\n")

        var priorForwardedFor: [UInt8] = []
        var trustedProto: ArraySlice<UInt8>?
        var trustedHost: ArraySlice<UInt8>?
        var hasHost = false
        for i in h.fields.indices {
            if h.isHopByHop(at: i, connectionTokens: head.connectionTokens) { continue }
            let name = h.name(at: i)
            if policy.identityNames.contains(name) { continue }
            if let forwarded = ForwardingPolicy.forwardedField(name) {
                // Aliases are never believed: a trusted proxy writes the real names.
                guard peerTrusted && forwarded.exact else { continue }
                switch forwarded.field {
                case .forwardedFor:
                    if !priorForwardedFor.isEmpty { priorForwardedFor.append(literal: ", ") }
                    priorForwardedFor.append(contentsOf: h.value(at: i))
                    continue
                case .forwardedProto:
                    if trustedProto == nil { trustedProto = h.value(at: i) }
                    continue
                case .forwardedHost:
                    if trustedHost == nil { trustedHost = h.value(at: i) }
                    continue
                case .forwarded, .realIP, .otherForwarded:
                    break  // passed on as the trusted proxy wrote them
                }
            } else if !policy.underscoresInHeaders && HeaderName.containsUnderscore(name) {
                continue  // nginx's default: `X_Foo` reads as `X-Foo` to CGI-style apps
            }
            if h.nameEquals(at: i, "expect") { continue }
            if h.nameEquals(at: i, "host") {
                // An absolute-form target's authority replaces Host (RFC 9112 §3.2.2).
                if head.absoluteFormAuthority != nil { continue }
                hasHost = true
            }
            if h.nameEquals(at: i, "cookie") {
                switch policy.cookieFilter.filter(h.value(at: i)) {
                case .unchanged: break
                case .empty: continue
                case .filtered(let rest):
                    out.append(literal: "Cookie: ")
                    out.append(contentsOf: rest)
                    out.append(literal: "\r\n")
                    continue
                }
            }
            out.append(h.bytes, range: h.fields[i].line)
        }
        if !hasHost {
            out.append(literal: "Host: ")
            if let authority = head.absoluteFormAuthority {
                out.append(contentsOf: authority)
            } else {
                out.append(contentsOf: defaultHost.utf8)
            }
            out.append(literal: "\r\n")
        }
        out.append(literal: "X-Forwarded-For: ")
        if !priorForwardedFor.isEmpty {
            out.append(contentsOf: priorForwardedFor)
            out.append(literal: ", ")
        }
        out.append(contentsOf: peerIP.utf8)
        out.append(literal: "\r\nX-Forwarded-Proto: ")
        if let trustedProto {
            out.append(contentsOf: trustedProto)
        } else {
            out.append(literal: isTLS ? "https" : "http")
        }
        out.append(literal: "\r\n")
        if let host = trustedHost ?? head.host.map({ $0[...] }) {
            out.append(literal: "X-Forwarded-Host: ")
            out.append(contentsOf: host)
            out.append(literal: "\r\n")
        }
        if head.framing == .chunked {
            out.append(literal: "Transfer-Encoding: chunked\r\n")
        }
        if let trace {
            out.append(literal: "X-Request-Id: ")
            out.append(contentsOf: trace.requestID)
            out.append(literal: "\r\ntraceparent: ")
            out.append(contentsOf: trace.traceParent)
            out.append(literal: "\r\n")
            if let state = trace.traceState {
                out.append(literal: "tracestate: ")
                out.append(contentsOf: state)
                out.append(literal: "\r\n")
            }
        }
        if let identity { out.append(contentsOf: identity) }
        if head.isUpgrade {
            // Only websocket is ever upgraded to; any other Upgrade was dropped above.
            out.append(literal: "Connection: upgrade\r\nUpgrade: websocket\r\n")
        } else if !keepAlive {
            out.append(literal: "Connection: close\r\n")
        }
        out.append(literal: "\r\n")
        return out
    }

    /// How the response body travels to the client.
    enum ClientFraming {
        case asIs  // Content-Length or no body: bytes pass unchanged
        case chunked  // re-framed as chunks
        case untilClose  // HTTP/1.0 client and no length: the connection's end ends the body
    }

    /// The response head for the client, and how its body must be framed. `hsts` (a whole
    /// `Strict-Transport-Security` field line) is added unless the upstream sent its own.
    static func clientResponse(
        _ response: HTTPResponseHead, clientVersion: HTTPVersion, keepAlive: Bool, upgrade: Bool, hsts: [UInt8]? = nil
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
        out.reserveCapacity(h.bytes.count + 64 + (hsts?.count ?? 0))
        let statusLineEnd = h.fields.first?.line.lowerBound ?? (h.bytes.count - 2)
        out.append(literal: "HTTP/1.1")
        out.append(h.bytes, range: 8..<statusLineEnd)
        var sendsHSTS = hsts != nil
        for i in h.fields.indices {
            if sendsHSTS && h.nameEquals(at: i, "strict-transport-security") { sendsHSTS = false }
            if h.isHopByHop(at: i, connectionTokens: response.connectionTokens) {
                if upgrade && h.nameEquals(at: i, "upgrade") {
                    out.append(h.bytes, range: h.fields[i].line)
                }
                continue
            }
            out.append(h.bytes, range: h.fields[i].line)
        }
        if sendsHSTS, let hsts { out.append(contentsOf: hsts) }
        if upgrade {
            out.append(literal: "Connection: upgrade\r\n")
        } else {
            if framing == .chunked { out.append(literal: "Transfer-Encoding: chunked\r\n") }
            if !keepAlive {
                out.append(literal: "Connection: close\r\n")
            } else if clientVersion.minor == 0 {
                out.append(literal: "Connection: keep-alive\r\n")
            }
        }
        out.append(literal: "\r\n")
        return (out, framing, keepAlive)
    }
}
