// "Sign in with Twitter" (OAuth 1.0a) end to end: the real gateway against oauth1_provider.py,
// whose signature checks are oauthlib's, with the upstream seeing the identity headers.
import Foundation
import GatewayTestSupport
import XCTest

final class TwitterSignInTests: IntegrationTestCase {
    private let consumerSecret = "twitter-consumer-s3cret"

    /// oauth1_provider.py on a free port; returns its base URL.
    private func startTwitterProvider() throws -> URL {
        let child = try FixtureProcess(
            executable: TestPaths.python,
            arguments: [
                "-u", TestPaths.fixtures.appendingPathComponent("oauth1_provider.py").path, "--consumer-key",
                "gateway-consumer-key", "--consumer-secret", consumerSecret,
            ], directory: directory, name: "oauth1-provider")
        track(child)
        let port = try child.waitForPort("oauth1_provider.py (needs oauthlib)")
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    /// The gateway with only `provider twitter`: nothing to discover, so it is ready once it listens.
    private func startGateway(twitter: URL, upstreamPort: Int) throws -> (GatewayProcess, URL) {
        let port = closedPort()
        let t = twitter.absoluteString
        let gateway = try startGateway(
            """
            listen 127.0.0.1:\(port);
            workers 1;
            public_url http://127.0.0.1:\(port);
            access_log stdout;
            error_log stderr debug;
            upstream app { server 127.0.0.1:\(upstreamPort); }
            session {
                store memory;
                cookie_secret 0123456789abcdef0123456789abcdef-test;
            }
            provider twitter {
                consumer_key gateway-consumer-key;
                consumer_secret \(consumerSecret);
                request_token_url \(t)/oauth/request_token;
                authorize_url \(t)/oauth/authenticate;
                access_token_url \(t)/oauth/access_token;
                api_url \(t);
            }
            location /public/ { auth off; proxy_pass app; }
            location /token/ { auth required; pass_access_token on; proxy_pass app; }
            location / { auth required; proxy_pass app; }
            """)
        return (gateway, URL(string: "http://127.0.0.1:\(port)")!)
    }

    private func setUser(_ twitter: URL, _ screenName: String, _ fields: [String: String]) throws {
        let body = try JSONSerialization.data(withJSONObject: fields)
        let response = try RawHTTPClient(port: twitter.port!).request(
            "PUT", "/users/" + screenName, headers: [("Content-Type", "application/json")], body: Array(body),
            host: "127.0.0.1:\(twitter.port!)")
        XCTAssertEqual(response.status, 204)
    }

    /// From a protected page to the provider's authorize form, through the sign-in page's button.
    private func reachAuthorizeForm(_ browser: Browser, base: URL, twitter: URL, path: String = "/app/page?x=1")
        throws -> (URL, String)
    {
        var hops = try browser.follow(URL(string: path, relativeTo: base)!.absoluteURL)
        let page = try XCTUnwrap(hops.last)
        XCTAssertEqual(page.url.path, "/auth/sign_in")
        let html = page.response.text
        XCTAssertTrue(html.contains("Sign in with Twitter"), html)
        guard let range = html.range(of: "class=\"button\" href=\""),
            let end = html[range.upperBound...].firstIndex(of: "\"")
        else { throw TestFailure("no provider button on the sign-in page: \(html)") }
        let href = String(html[range.upperBound..<end]).replacingOccurrences(of: "&amp;", with: "&")
        hops = try browser.follow(URL(string: href, relativeTo: base)!.absoluteURL)
        let form = try XCTUnwrap(hops.last)
        XCTAssertEqual(form.url.path, "/oauth/authenticate")
        XCTAssertEqual(form.url.port, twitter.port)
        XCTAssertEqual(form.response.status, 200, form.response.text)
        let token = try XCTUnwrap(
            URLComponents(url: form.url, resolvingAgainstBaseURL: false)?.queryItems?.first {
                $0.name == "oauth_token"
            }?.value)
        return (form.url, token)
    }

    func testSignInWithTwitterReachesTheAppWithIdentityHeaders() throws {
        let upstream = try startUpstream()
        let twitter = try startTwitterProvider()
        try setUser(twitter, "tina", ["id": "783214", "name": "Tina T.", "email": "tina@example.com"])
        let (gateway, base) = try startGateway(twitter: twitter, upstreamPort: upstream.port)
        let browser = Browser()

        let (formURL, token) = try reachAuthorizeForm(browser, base: base, twitter: twitter)
        let authorized = try browser.request(
            "POST", formURL, form: [("oauth_token", token), ("user", "tina"), ("action", "authorize")])
        let callback = try XCTUnwrap(authorized.location)
        XCTAssertEqual(callback.path, "/auth/twitter/callback")
        let hops = try browser.follow(callback)
        let landed = try XCTUnwrap(hops.last)
        XCTAssertEqual(landed.url.path, "/app/page")
        XCTAssertEqual(landed.url.query, "x=1")
        XCTAssertEqual(landed.response.status, 200, landed.response.text)
        let echo = try landed.response.json()
        XCTAssertEqual(headerValues("X-Auth-Provider", in: echo), ["twitter"])
        XCTAssertEqual(headerValues("X-Auth-Identities", in: echo), ["twitter:783214"])
        XCTAssertEqual(headerValues("X-Auth-Email", in: echo), ["tina@example.com"])
        XCTAssertEqual(headerValues("X-Auth-Name", in: echo), ["Tina T."])
        XCTAssertEqual(headerValues("X-Auth-User-Id", in: echo).count, 1)

        // The callback cannot be replayed: the request token was spent at the provider and here.
        let replay = try browser.request("GET", callback)
        XCTAssertEqual(replay.response.status, 400, replay.response.text)

        // The consumer secret is never logged (signing failures name only the step and status).
        let log = try gateway.settledLogs()
        XCTAssertFalse(log.contains(consumerSecret), "the consumer secret leaked into a log")
    }

    func testPassAccessTokenSendsTheOAuth1TokenAndItsSecret() throws {
        let upstream = try startUpstream()
        let twitter = try startTwitterProvider()
        try setUser(twitter, "tina", ["id": "783214", "name": "Tina T."])
        let (gateway, base) = try startGateway(twitter: twitter, upstreamPort: upstream.port)
        let browser = Browser()
        let (formURL, token) = try reachAuthorizeForm(browser, base: base, twitter: twitter, path: "/token/page")
        let authorized = try browser.request(
            "POST", formURL, form: [("oauth_token", token), ("user", "tina"), ("action", "authorize")])
        let landed = try XCTUnwrap(try browser.follow(try XCTUnwrap(authorized.location)).last)
        XCTAssertEqual(landed.url.path, "/token/page")
        let issued = try RawHTTPClient(port: twitter.port!).request(
            "GET", "/access_tokens", host: "127.0.0.1:\(twitter.port!)")
        let tokens = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(issued.body)) as? [[String: String]])
        XCTAssertEqual(tokens.count, 1)
        let echo = try landed.response.json()
        XCTAssertEqual(headerValues("X-Auth-Access-Token", in: echo), [try XCTUnwrap(tokens.first?["token"])])
        XCTAssertEqual(headerValues("X-Auth-Access-Token-Secret", in: echo), [try XCTUnwrap(tokens.first?["secret"])])
        // Only the location that asks for them gets them.
        let other = try browser.request("GET", URL(string: "/app/x", relativeTo: base)!.absoluteURL)
        XCTAssertEqual(headerValues("X-Auth-Access-Token", in: try other.response.json()), [])
        XCTAssertEqual(headerValues("X-Auth-Access-Token-Secret", in: try other.response.json()), [])
        let log = try gateway.settledLogs()
        XCTAssertFalse(log.contains(try XCTUnwrap(tokens.first?["secret"])), "the token secret reached a log")
    }

    func testDenyingAtTwitterShowsTheFlashMessage() throws {
        let upstream = try startUpstream()
        let twitter = try startTwitterProvider()
        let (_, base) = try startGateway(twitter: twitter, upstreamPort: upstream.port)
        let browser = Browser()

        let (formURL, token) = try reachAuthorizeForm(browser, base: base, twitter: twitter)
        let denied = try browser.request("POST", formURL, form: [("oauth_token", token), ("action", "deny")])
        let callback = try XCTUnwrap(denied.location)
        XCTAssertEqual(callback.query, "denied=\(token)")
        let page = try XCTUnwrap(try browser.follow(callback).last)
        XCTAssertEqual(page.url.path, "/auth/sign_in")
        XCTAssertTrue(page.response.text.contains("You denied the request to sign in."), page.response.text)
        XCTAssertNil(browser.cookies(for: base)["__gateway"], "a denial signs nobody in")
    }
}
