// RFC 5849 §3.4 signing against the published vectors: the RFC's own examples (§1.2, §3.4.1)
// and Twitter's "Creating a signature" walk-through, byte for byte.
import GatewayHTTP
import XCTest

@testable import GatewayAuth

final class OAuth1SignatureTests: XCTestCase {
    // MARK: - §3.6 percent-encoding

    func testPercentEncodingKeepsOnlyUnreservedCharactersWithUppercaseHex() {
        XCTAssertEqual(OAuth1Signature.percentEncode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen")
        XCTAssertEqual(OAuth1Signature.percentEncode("An encoded string!"), "An%20encoded%20string%21")
        XCTAssertEqual(OAuth1Signature.percentEncode("Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice")
        XCTAssertEqual(OAuth1Signature.percentEncode("☃"), "%E2%98%83", "UTF-8 bytes, uppercase hex")
        XCTAssertEqual(OAuth1Signature.percentEncode("AZaz09-._~"), "AZaz09-._~")
        XCTAssertEqual(OAuth1Signature.percentEncode("*'()/:=?@"), "%2A%27%28%29%2F%3A%3D%3F%40")
    }

    // MARK: - §3.4.1.2 base string URI

    func testBaseStringURIExamplesFromTheRFC() {
        XCTAssertEqual(
            OAuth1Signature.baseStringURI("http://EXAMPLE.COM:80/r%20v/X?id=123"), "http://example.com/r%20v/X")
        XCTAssertEqual(
            OAuth1Signature.baseStringURI("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/")
    }

    func testBaseStringURIDropsDefaultPortsUserinfoQueryAndFragment() {
        XCTAssertEqual(OAuth1Signature.baseStringURI("HTTPS://Api.Twitter.com:443"), "https://api.twitter.com/")
        XCTAssertEqual(OAuth1Signature.baseStringURI("https://api.example.com:80/x"), "https://api.example.com:80/x")
        XCTAssertEqual(
            OAuth1Signature.baseStringURI("http://127.0.0.1:8080/oauth/request_token"),
            "http://127.0.0.1:8080/oauth/request_token")
        XCTAssertEqual(
            OAuth1Signature.baseStringURI("http://user:pw@host.example/a/B?x=1#frag"), "http://host.example/a/B")
        XCTAssertEqual(OAuth1Signature.baseStringURI("http://[::1]:9000/p"), "http://[::1]:9000/p")
        XCTAssertEqual(OAuth1Signature.baseStringURI("http://host.example?x=1"), "http://host.example/")
        XCTAssertNil(OAuth1Signature.baseStringURI("ftp://host.example/"))
        XCTAssertNil(OAuth1Signature.baseStringURI("/relative/path"))
        XCTAssertNil(OAuth1Signature.baseStringURI("http:///no-host"))
        XCTAssertNil(OAuth1Signature.baseStringURI("http://host.example:8x/"))
    }

    // MARK: - §3.4.1.3 parameters and §3.4.1.1 the base string

    /// The request of §3.4.1.1 and §3.4.1.3.1: query, form body and header parameters.
    private let rfcExampleURL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
    private var rfcExampleParameters: [(String, String)] {
        OAuth1Signature.queryParameters(of: rfcExampleURL) + OAuth1Signature.formDecode(Array("c2&a3=2+q".utf8)) + [
            ("realm", "Example"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw="),
        ]
    }

    func testParameterSourcesDecodeAsTheRFCTableShows() {
        let decoded = rfcExampleParameters.prefix(6).map { "\($0.0)=\($0.1)" }
        XCTAssertEqual(decoded, ["b5==%3D", "a3=a", "c@=", "a2=r b", "c2=", "a3=2 q"])
    }

    func testNormalizedParametersMatchSection3_4_1_3_2() {
        let signed = rfcExampleParameters.filter { $0.0 != "realm" && $0.0 != "oauth_signature" }
        XCTAssertEqual(
            OAuth1Signature.normalizedParameters(signed),
            "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a"
                + "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7")
    }

    func testBaseStringMatchesSection3_4_1_1AndExcludesRealmAndSignature() {
        XCTAssertEqual(
            OAuth1Signature.baseString(method: "post", url: rfcExampleURL, parameters: rfcExampleParameters),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26"
                + "oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26"
                + "oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
    }

    func testFormDecodingHandlesPlusBadEscapesAndBarePairs() {
        let pairs = OAuth1Signature.formDecode(Substring("a=1+2&b&c=%zz%4&&d=%E2%98%83&=e"))
        XCTAssertEqual(pairs.map { "\($0.0)|\($0.1)" }, ["a|1 2", "b|", "c|%zz%4", "d|☃", "|e"])
    }

    // MARK: - §1.2 signatures (client secret kd94hf93k423kf44)

    private func rfcSignature(
        _ method: String, _ url: String, _ oauth: [(String, String)], tokenSecret: String
    ) -> String? {
        let base = [
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"), ("oauth_signature_method", "HMAC-SHA1"), ("realm", "Photos"),
        ]
        let all = OAuth1Signature.queryParameters(of: url) + base + oauth
        guard let text = OAuth1Signature.baseString(method: method, url: url, parameters: all) else { return nil }
        return OAuth1Signature.hmacSHA1(baseString: text, consumerSecret: "kd94hf93k423kf44", tokenSecret: tokenSecret)
    }

    func testTemporaryCredentialRequestOfSection1_2() {
        let signature = rfcSignature(
            "POST", "https://photos.example.net/initiate",
            [
                ("oauth_timestamp", "137131200"), ("oauth_nonce", "wIjqoS"),
                ("oauth_callback", "http://printer.example.com/ready"),
            ],
            tokenSecret: "")
        XCTAssertEqual(signature, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=")
    }

    func testTokenRequestOfSection1_2() {
        let signature = rfcSignature(
            "POST", "https://photos.example.net/token",
            [
                ("oauth_token", "hh5s93j4hdidpola"), ("oauth_timestamp", "137131201"), ("oauth_nonce", "walatlh"),
                ("oauth_verifier", "hfdp7dh39dks9884"),
            ], tokenSecret: "hdhd0244k9j7ao03")
        XCTAssertEqual(signature, "gKgrFCywp7rO0OXSjdot/IHF7IU=")
    }

    func testProtectedResourceRequestOfSection1_2() throws {
        let signature = try XCTUnwrap(
            rfcSignature(
                "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
                [("oauth_token", "nnch734d00sl2jdk"), ("oauth_timestamp", "137131202"), ("oauth_nonce", "chapoH")],
                tokenSecret: "pfkkdhi9sl3r4s00"))
        XCTAssertEqual(signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=")
        // §3.5.1: the header form percent-encodes it, as the RFC prints it.
        XCTAssertEqual(
            OAuth1Signature.authorizationHeader([("realm", "Photos"), ("oauth_signature", signature)]),
            #"OAuth realm="Photos", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#)
    }

    // MARK: - Twitter's "Creating a signature"

    private let twitterURL = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
    private let twitterStatus = [("status", "Hello Ladies + Gentlemen, a signed OAuth request!")]
    private let twitterBaseString =
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
        + "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
        + "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26"
        + "oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26"
        + "status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
    private let twitterToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
    private let twitterTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"

    private var twitterSigner: OAuth1Signer {
        OAuth1Signer(
            consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            makeNonce: { "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg" }, timestamp: { 1_318_622_958 })
    }

    func testTwitterBaseStringAndSignature() {
        let parameters =
            OAuth1Signature.queryParameters(of: twitterURL) + twitterStatus + [
                ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
                ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "1318622958"),
                ("oauth_token", twitterToken),
                ("oauth_version", "1.0"),
            ]
        XCTAssertEqual(
            OAuth1Signature.baseString(method: "POST", url: twitterURL, parameters: parameters), twitterBaseString)
        XCTAssertEqual(
            OAuth1Signature.hmacSHA1(
                baseString: twitterBaseString, consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                tokenSecret: twitterTokenSecret),
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")
    }

    func testSignerBuildsTwitterHeaderAndFormBody() throws {
        let request = try XCTUnwrap(
            twitterSigner.request(
                method: "POST", url: twitterURL, token: twitterToken, tokenSecret: twitterTokenSecret,
                form: twitterStatus))
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, twitterURL)
        XCTAssertEqual(
            request.headers.first { $0.0 == "Authorization" }?.1,
            #"OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "#
                + #"oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", "#
                + #"oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "#
                + #"oauth_version="1.0""#)
        XCTAssertEqual(request.headers.first { $0.0 == "Content-Type" }?.1, "application/x-www-form-urlencoded")
        XCTAssertEqual(
            String(decoding: request.body ?? [], as: UTF8.self),
            "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21")
    }

    func testSignerWithoutTokenOmitsItAndSignsTheCallback() throws {
        let oauth = try XCTUnwrap(
            twitterSigner.protocolParameters(
                method: "POST", url: "https://api.twitter.com/oauth/request_token", token: nil, tokenSecret: "",
                extra: [("oauth_callback", "https://gw.example/auth/twitter/callback")], nonce: "n", timestamp: "1"))
        XCTAssertEqual(
            oauth.map(\.0),
            [
                "oauth_callback", "oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method",
                "oauth_timestamp", "oauth_version",
            ])
        let base = try XCTUnwrap(
            OAuth1Signature.baseString(
                method: "POST", url: "https://api.twitter.com/oauth/request_token", parameters: oauth))
        XCTAssertTrue(
            base.contains("oauth_callback%3Dhttps%253A%252F%252Fgw.example%252Fauth%252Ftwitter%252Fcallback"), base)
        let signature = oauth.first { $0.0 == "oauth_signature" }?.1
        XCTAssertEqual(
            signature,
            OAuth1Signature.hmacSHA1(
                baseString: base, consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", tokenSecret: ""))
        XCTAssertNil(twitterSigner.request(method: "GET", url: "not a url", token: nil, tokenSecret: ""))
    }

    func testRandomNoncesAreThirtyHexDigitsAndFresh() {
        let nonces = (0..<50).map { _ in OAuth1Signer.randomNonce() }
        XCTAssertEqual(Set(nonces).count, 50)
        for nonce in nonces {
            XCTAssertEqual(nonce.count, 30)
            XCTAssertTrue(nonce.allSatisfy { $0.isHexDigit && !$0.isUppercase }, nonce)
        }
    }
}
