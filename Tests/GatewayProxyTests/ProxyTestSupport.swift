// Shared helpers: a configuration from text and request heads from raw bytes.

import GatewayConfig
import GatewayHTTP
import XCTest

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { String(decoding: bytes, as: UTF8.self) }

/// Two locations with sign-in and one remapped identity header, as the router and rewriter see them.
func testConfiguration(extra: String = "") throws -> GatewayConfiguration {
    try ConfigLoader.load(
        text: """
            listen 127.0.0.1:8080;
            public_url http://gateway.test;
            \(extra)
            upstream app { server 127.0.0.1:3000; }
            session { cookie_name __gw; cookie_secret 0123456789abcdef0123456789abcdef-test; }
            provider github { client_id x; client_secret y; }
            location /public/ { auth off; proxy_pass app; }
            location /admin/ { auth required; identity_header email X-Forwarded-Email; proxy_pass app; }
            location /admin { auth required; proxy_pass app; }
            location / { auth off; proxy_pass app; }
            """, file: "test.conf")
}


func canonicalTarget(_ path: [UInt8], allowEncodedSlashes: Bool = false) -> CanonicalTarget? {
    if case .canonical(let t) = PathCanonicalizer.canonicalize(path, allowEncodedSlashes: allowEncodedSlashes) {
        return t
    }
    return nil
}
