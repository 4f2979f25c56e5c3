// The set-up most fault tests share: the joserfc issuer, an upstream, a sign-in gateway on the
// given store, one signed-in user, and load on a protected and a public path.
import Foundation
import GatewayTestSupport
import XCTest

struct SignedInGateway {
    var gateway: GatewayProcess
    var base: URL
    var issuer: JWTIssuer
    var cookie: String
    /// The headers of a signed-in API client: the session cookie, JSON answers.
    var session: [(String, String)] { [("Cookie", "__gateway=\(cookie)"), ("Accept", "application/json")] }
}

extension IntegrationTestCase {
    func startSignedInGateway(store: String, sessionExtra: String = "") throws -> SignedInGateway {
        let issuer = try startJWTIssuer()
        let upstream = try startUpstream()
        let (gateway, base) = try startSignInGateway(
            upstreamPort: upstream.port,
            providers: "provider idp { type oidc; issuer \(issuer.issuer); client_id gateway; client_secret x; }",
            store: store, sessionExtra: sessionExtra)
        let browser = Browser()
        try issuer.loginAs(sub: "fault-\(UUID().uuidString.prefix(8))")
        try signInThroughIssuer(browser, base: base)
        let cookie = try XCTUnwrap(browser.cookies(for: base)["__gateway"])
        return SignedInGateway(gateway: gateway, base: base, issuer: issuer, cookie: cookie)
    }

    /// Started: `protected` asks `/app/load` signed in, `public` asks `/public/load`.
    func startLoad(on s: SignedInGateway, clientsPerTarget: Int = 2) -> FaultLoad {
        let load = FaultLoad(
            port: s.base.port!,
            targets: [.init(kind: "protected", path: "/app/load", headers: s.session), .init(kind: "public", path: "/public/load")],
            clientsPerTarget: clientsPerTarget)
        load.start()
        return load
    }
}
