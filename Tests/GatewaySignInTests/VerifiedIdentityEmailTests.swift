// A provider's refused email is no email at all once sign-in has normalised the identity.
import GatewayAuth
import XCTest

@testable import GatewaySignIn

final class VerifiedIdentityEmailTests: XCTestCase {
    func testSignInIdentityLosesARefusedEmailAndItsVerification() {
        let hostile = VerifiedIdentity(
            provider: "p", subject: "1", email: "boss@example.com@evil.com", emailVerified: true)
        let cleaned = hostile.normalizingEmail()
        XCTAssertNil(cleaned.email)
        XCTAssertFalse(cleaned.emailVerified)
        let fine = VerifiedIdentity(provider: "p", subject: "1", email: "Boss@Example.com", emailVerified: true)
        XCTAssertEqual(fine.normalizingEmail().email, "boss@example.com")
        XCTAssertTrue(fine.normalizingEmail().emailVerified)
        let unverified = VerifiedIdentity(provider: "p", subject: "1", email: "Boss@Example.com", emailVerified: false)
        XCTAssertEqual(unverified.normalizingEmail().email, "boss@example.com")
        XCTAssertFalse(unverified.normalizingEmail().emailVerified)
    }
}
