// libFuzzer target `jose`: the JOSE parsing that runs on untrusted bytes before (and around) a
// signature check: the compact JWS split and its header, the claims JSON, a JWKS document and its
// keys (made into OpenSSL keys), the signature check itself and the ID-token claim checks.
// The first line is the token, the rest the JWKS. Compiled with GatewayAuth/JOSE (deploy/fuzz).
import GatewayCrypto

private let issuers: [IssuerRule] = [
    .exact("https://issuer.example", aliases: ["issuer.example"]),
    .tenantTemplate("https://login.microsoftonline.com/{tenantid}/v2.0")!,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let token = String(decoding: bytes[..<newline], as: UTF8.self)
    let jwks = Array(bytes[Swift.min(newline + 1, bytes.endIndex)...])

    if let value = JSONValue.parse(jwks) {
        let text = value.serialized
        guard let again = JSONValue.parse(text) else { fatalError("serialized JSON does not parse: \(text)") }
        precondition(again.serialized == text, "JSON changed through serialize and parse")
    }
    let keys = try? JWKSet(json: jwks)
    if let keys {
        precondition(!keys.keys.isEmpty, "a key set without keys")
        for key in keys.keys { precondition(!key.signatureAlgorithms.isEmpty, "a key that verifies nothing") }
    }
    guard let jws = try? CompactJWS(token) else { return 0 }

    let tokenBytes = Array(token.utf8)
    precondition(tokenBytes.starts(with: jws.signingInput), "the signing input is not the token's start")
    precondition(jws.signingInput.filter { $0 == 0x2E }.count == 1, "the signing input is not header.payload")
    precondition(jws.header["alg"]?.stringValue == jws.algorithm && !jws.payload.isEmpty, "header or payload")
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    precondition(Base64URL.encode(jws.payload) == parts[1] && Base64URL.encode(jws.signature) == parts[2], "decoding")

    if let keys {
        for allowed in [JWTVerifier.allowedAlgorithms, JWTVerifier.tokenAlgorithms] {
            if (try? JWTVerifier.verify(jws, keys: keys, allowed: allowed)) != nil {
                precondition(allowed.contains(jws.algorithm), "a token verified with an algorithm not allowed")
            }
        }
    }
    guard let object = JSONValue.parse(jws.payload)?.objectValue else { return 0 }
    let claims = JWTClaims(object)
    _ = (claims.email, claims.emailVerified, claims.audiences)
    for rule in issuers {
        let validator = IDTokenValidator(issuerRule: rule, clientID: "client")
        if (try? validator.validateClaims(claims, expectedNonce: "n-0S6_WzA2Mj", now: 1_700_000_000)) != nil {
            precondition(claims.audiences?.contains("client") == true, "accepted for another audience")
            precondition(claims.nonce == "n-0S6_WzA2Mj" && claims.subject?.isEmpty == false, "nonce or sub")
        }
    }
    return 0
}
