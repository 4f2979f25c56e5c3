// libFuzzer target `cookie-session`: arbitrary Cookie field values through the sign-in cookie
// lookup (`HTTPText.cookie`) and the upstream cookie filter (`CookieFilter`), the cookie's value
// through `SignedValue.verify` and `SessionID`, and the bytes as a stored session (`SessionRecord(json:)`).
// Compiled with GatewaySignIn's HTTPText.swift and GatewaySessions' session files (deploy/fuzz).
import GatewayCrypto
import GatewayHTTP

private let cookieName = "__gateway"
private let filter = CookieFilter(names: [cookieName], prefixes: [cookieName + "_state_"])
private let codec = SignedValue(secret: String(repeating: "k", count: 32), purpose: "session")

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Each line is one Cookie field's value (a request may carry several).
    let values = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(4)
    let headers = cookieHeaders(values)

    if let cookie = HTTPText.cookie(cookieName, in: headers) {
        // Each invalid UTF-8 byte reads as U+FFFD (three bytes); nothing else may grow.
        precondition(cookie.utf8.count <= 3 * size, "a cookie value longer than the input")
        checkSession(cookie)
    }
    _ = HTTPText.cookies(prefixed: cookieName + "_state_", in: headers)
    for value in values { checkFilter(value) }

    if let record = SessionRecord(json: bytes) {
        let encoded = record.encodedJSON()
        guard let again = SessionRecord(json: encoded) else { fatalError("a session record's own JSON is refused") }
        precondition(again == record, "a session record changed through its JSON")
    }
    return 0
}

/// A cookie either fails its MAC or is exactly what was signed; a signed value always verifies.
private func checkSession(_ cookie: String) {
    if let value = codec.verify(cookie) {
        precondition(codec.sign(value) == cookie, "a MAC verified for a value that signs differently")
    }
    if let id = SessionID(cookie) {
        precondition(id.value.utf8.count == 43 && Base64URL.decode(id.value)?.count == 32, "a session id not 256 bits")
    }
    // `sign` takes a non-empty value without ".", as the session ids it is used for are.
    guard !cookie.isEmpty, !cookie.utf8.contains(0x2E) else { return }
    let signed = codec.sign(cookie)
    precondition(codec.verify(signed) == cookie, "a signed value does not verify")
    var forged = Array(signed.utf8)
    forged[forged.count / 2] ^= 0x01
    precondition(codec.verify(String(decoding: forged, as: UTF8.self)) != cookie, "a changed cookie verifies")
}

/// After filtering no gateway cookie is left, a second pass changes nothing, and nothing is added.
private func checkFilter(_ value: ArraySlice<UInt8>) {
    switch filter.filter(value) {
    case .unchanged, .empty: break
    case .filtered(let rest):
        precondition(rest.count <= value.count, "the filter added bytes")
        precondition(filter.filter(rest[...]) == .unchanged, "a gateway cookie survived the filter")
        precondition(HTTPText.cookie(cookieName, in: cookieHeaders([rest[...]])) == nil, "the session cookie survived")
    }
}

/// A head's fields as `Cookie: value` lines; the values are taken as they are (the parser has
/// already refused CR, LF and NUL in real heads).
private func cookieHeaders(_ values: some Collection<ArraySlice<UInt8>>) -> HTTPHeaders {
    var bytes = Array("GET / HTTP/1.1\r\n".utf8)
    var fields: [HTTPHeaderField] = []
    for value in values {
        let start = bytes.count
        bytes += Array("Cookie: ".utf8)
        let valueStart = bytes.count
        bytes += value
        fields.append(
            HTTPHeaderField(name: start..<(start + 6), value: valueStart..<bytes.count, line: start..<(bytes.count + 2))
        )
        bytes += [13, 10]
    }
    bytes += [13, 10]
    return HTTPHeaders(bytes: bytes, fields: fields)
}
