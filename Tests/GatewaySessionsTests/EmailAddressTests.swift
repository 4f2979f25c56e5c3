// Hostile email claims: each one is no email at all, never a look-alike of someone else's.
import Foundation
import GatewaySessions
import XCTest

final class EmailAddressTests: XCTestCase {
    func testPlainAddressesAreASCIILowercased() {
        for (raw, expected) in [
            ("alice@example.com", "alice@example.com"),
            ("ALICE@Example.COM", "alice@example.com"),
            ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
            ("o'hara_{x}|~!#$%&*=?^`@x-y.example", "o'hara_{x}|~!#$%&*=?^`@x-y.example"),
            ("ops@localhost", "ops@localhost"),  // a dotless domain is kept (intranet providers)
        ] {
            XCTAssertEqual(EmailAddress.normalized(raw), expected, raw)
        }
    }

    func testHostileAddressesCountAsNoEmail() {
        for raw in [
            "alice@example.com@evil.com", "alice@@example.com", "alice", "", "@x.com", "a@", "@",
            "a\u{0}@x.com", "a@x.com\u{0}", "a\r\n@x.com", "a\t@x.com", "a @x.com", " a@x.com", "a@x.com ",
            "a\u{7F}@x.com", "\"a b\"@x.com", "\"a\"@x.com", "<a@x.com>", "a,b@x.com", "a;b@x.com", "a\\b@x.com",
            "a(c)@x.com", "a:b@x.com", "a@[127.0.0.1]", ".a@x.com", "a.@x.com", "a..b@x.com", "a@.x.com",
            "a@x.com.", "a@x..com", "a@x_y.com", "a@x+y.com", "a@x/y.com",
        ] {
            XCTAssertNil(EmailAddress.normalized(raw), raw.debugDescription)
        }
        XCTAssertNil(EmailAddress.normalized(nil))
    }

    /// The addresses NFKC folds into an ASCII one (so a naive normaliser would hand them
    /// someone else's account), and the look-alikes NFKC leaves alone: all refused.
    func testNonASCIIIsRefusedWhetherOrNotNFKCWouldChangeIt() {
        let foldedByNFKC = [
            "alice\u{FF20}example.com",  // full-width commercial at
            "\u{FF41}lice@example.com",  // full-width a
            "alice@example\u{FF0E}com",  // full-width full stop
            "\u{FB01}nance@example.com",  // the ligature fi
            "alice@\u{2170}x.com",  // small roman numeral one
        ]
        for raw in foldedByNFKC {
            XCTAssertNotEqual(raw.precomposedStringWithCompatibilityMapping, raw, "NFKC changes \(raw)")
            XCTAssertNil(EmailAddress.normalized(raw), raw)
        }
        let untouchedByNFKC = [
            "alice@ex\u{0430}mple.com",  // Cyrillic a
            "j\u{00F6}rg@example.com",  // a real, precomposed umlaut
            "alice@b\u{00FC}cher.example",
        ]
        for raw in untouchedByNFKC {
            XCTAssertEqual(raw.precomposedStringWithCompatibilityMapping, raw, "NFKC keeps \(raw)")
            XCTAssertNil(EmailAddress.normalized(raw), raw)
        }
    }
}
