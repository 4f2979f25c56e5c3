// RP-Initiated Logout's part of discovery: `end_session_endpoint` is read when it is usable.
import GatewayAuth
import XCTest

final class OIDCEndSessionTests: XCTestCase {
    private func metadata(_ extra: String) throws -> OIDCProviderMetadata {
        let document = """
            {"issuer":"https://idp.example","authorization_endpoint":"https://idp.example/a",
             "token_endpoint":"https://idp.example/t","jwks_uri":"https://idp.example/k"\(extra)}
            """
        return try OIDCProviderMetadata.parse(Array(document.utf8), expectedIssuer: "https://idp.example").get()
    }

    func testEndSessionEndpointIsReadWhenPublished() throws {
        XCTAssertEqual(
            try metadata(#","end_session_endpoint":"https://idp.example/logout?x=1""#).endSessionEndpoint,
            "https://idp.example/logout?x=1")
        XCTAssertNil(try metadata("").endSessionEndpoint)
    }

    func testAnUnusableEndSessionEndpointMeansNoneAndDiscoveryStillSucceeds() throws {
        for bad in [#""javascript:alert(1)""#, "42", #""https://idp.example/a b""#, "null"] {
            XCTAssertNil(try metadata(#","end_session_endpoint":"# + bad).endSessionEndpoint, bad)
        }
    }
}
