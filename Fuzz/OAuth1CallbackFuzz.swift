// libFuzzer target `oauth1-callback`: an OAuth 1.0a callback target (`/auth/twitter/callback?
// oauth_token=...&oauth_verifier=...`) through the sign-in endpoints' query parser (`HTTPText.query`),
// and the bytes as a form-encoded token response through `OAuth1Signature.formDecode`, with the
// signature base string built from what was decoded. Compiled with GatewaySignIn's HTTPText.swift
// and GatewayAuth's OAuth1Signature.swift (deploy/fuzz).
import GatewayHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // The callback's query, as the endpoint reads it: the first of a repeated name wins.
    let query = HTTPText.query(of: bytes)
    let path = HTTPText.path(of: bytes)
    precondition(bytes.starts(with: path) && (path.count == bytes.count || bytes[path.count] == 0x3F), "path")
    for (name, value) in query {
        // What the endpoint would echo back (the token into a redirect) must encode and decode exactly.
        precondition(HTTPText.decode(Array(HTTPText.encode(name).utf8)[...]) == name, "a name does not round-trip")
        precondition(HTTPText.decode(Array(HTTPText.encode(value).utf8)[...]) == value, "a value does not round-trip")
    }
    if let token = query["oauth_token"], let verifier = query["oauth_verifier"] {
        let form = "oauth_token=\(HTTPText.encode(token))&oauth_verifier=\(HTTPText.encode(verifier))"
        let again = HTTPText.form(Array(form.utf8)[...])
        precondition(again["oauth_token"] == token && again["oauth_verifier"] == verifier, "callback re-encoded")
    }

    // The token endpoints answer in the same encoding; every decoded pair goes into a base string.
    let text = String(decoding: bytes, as: UTF8.self)
    let pairs = OAuth1Signature.formDecode(Substring(text))
    precondition(pairs.count <= text.utf8.count + 1, "more pairs than bytes")
    let encoded = pairs.map { OAuth1Signature.percentEncode($0.0) + "=" + OAuth1Signature.percentEncode($0.1) }
    let reparsed = OAuth1Signature.formDecode(Substring(encoded.joined(separator: "&")))
    precondition(reparsed.elementsEqual(pairs, by: ==), "form pairs changed through encoding")
    _ = OAuth1Signature.queryParameters(of: "https://api.example.com/1.1/x?" + text)
    let url = "https://api.example.com/oauth/access_token"
    guard let base = OAuth1Signature.baseString(method: "POST", url: url, parameters: pairs), base.hasPrefix("POST&")
    else {
        fatalError("no base string for an https URL")
    }
    return 0
}
