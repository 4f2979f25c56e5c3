// `pass_access_token on|off;` in a location: parsed, refused on public paths, off by default.

import XCTest

@testable import GatewayConfig

final class PassAccessTokenTests: XCTestCase {
    private let signIn =
        "upstream app { server 127.0.0.1:3000; }\nprovider github { client_id a; client_secret b; }\n"
        + "session { cookie_secret 0123456789abcdef0123456789abcdef; }\npublic_url https://app.example.com;\n"

    func testOnOffAndDefault() throws {
        let config = try TestConfig.load(
            signIn
                + "location /a/ { pass_access_token on; proxy_pass app; }\n"
                + "location /b/ { pass_access_token off; proxy_pass app; }\nlocation / { proxy_pass app; }\n",
            signInAvailable: true)
        XCTAssertEqual(config.locations.map(\.passAccessToken), [true, false, false])
    }

    func testRejectsBadValuesPublicPathsAndRepeats() {
        XCTAssertEqual(
            TestConfig.messages(
                signIn
                    + "location /a/ { pass_access_token yes; proxy_pass app; }\n"
                    + "location /b/ { auth off; pass_access_token on; proxy_pass app; }\n"
                    + "location /c/ { pass_access_token; proxy_pass app; }\n"
                    + "location / { pass_access_token on; pass_access_token on; proxy_pass app; }\n",
                signInAvailable: true),
            [
                #"gateway.conf:5:34: location "/a/": "pass_access_token" must be "on" or "off", got "yes""#,
                #"gateway.conf:6:26: location "/b/": "pass_access_token on" needs "auth required": a public path has no session"#,
                #"gateway.conf:7:16: location "/c/": "pass_access_token" expects 1 argument, got 0"#,
                #"gateway.conf:8:36: location "/": duplicate "pass_access_token" (first defined at gateway.conf:8:14)"#,
            ])
    }

    func testTheTokenHeadersAreNamed() {
        XCTAssertEqual(LocationConfig.accessTokenHeader, "X-Auth-Access-Token")
        XCTAssertEqual(LocationConfig.accessTokenSecretHeader, "X-Auth-Access-Token-Secret")
    }
}
