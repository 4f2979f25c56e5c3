// One conformance suite for every store, so the memory and Redis stores keep the same rules.
import Dispatch
import Foundation
import GatewaySessions
import XCTest

/// The cases; each store's test class forwards to them (Linux XCTest does not discover
/// inherited test methods, so there is no base class).
struct StoreConformance {
    /// Two loops, as in the gateway: the same memory store on two queues, or two Redis
    /// connections with a store each.
    let loops: [StoreLoop]
    /// Lets `seconds` pass for the store and says whether `expired` then holds: the memory
    /// store's manual clock moves at once; Redis expires keys by its own clock, so for it this
    /// polls `expired` until a second after `seconds`.
    let expireAfter: (_ seconds: Int64, _ expired: () -> Bool) -> Bool
    var a: StoreLoop { loops[0] }
    var b: StoreLoop { loops[1] }

    private var now: Int64 { Int64(Date().timeIntervalSince1970) }

    func record(user: String = "u_test", lifetime: Int64 = 3600) -> SessionRecord {
        SessionRecord(
            userID: user, provider: "github", subject: "42", login: "octo\"cat\\", email: "octo@example.com",
            name: "Octo Cät 🐙\n", identities: ["github:42", "corp:a:b"], createdAt: now, expiresAt: now + lifetime,
            lastSeenAt: now)
    }

    // MARK: Sessions

    func saveLoadDeleteRoundTrip() {
        let id = SessionID.generate()
        let saved = record()
        a.save(id, saved, ttl: 60)
        XCTAssertEqual(b.load(id)?.ok(), .some(saved), "another loop sees the same session")
        var updated = saved
        updated.lastSeenAt += 5
        updated.login = nil
        a.save(id, updated, ttl: 60)
        XCTAssertEqual(a.load(id)?.ok(), .some(updated), "save replaces")
        XCTAssertNotNil(b.delete(id)?.ok())
        XCTAssertEqual(a.load(id)?.ok(), .some(nil))
        XCTAssertNotNil(a.delete(id)?.ok(), "deleting a missing session succeeds")
    }

    func sessionExpiresAfterItsTTL() {
        let id = SessionID.generate()
        a.save(id, record(), ttl: 1)
        XCTAssertNotNil(a.load(id)?.ok() ?? nil)
        XCTAssertTrue(expireAfter(2) { a.load(id)?.ok() == .some(nil) }, "the session outlived its TTL")
    }

    func sessionPastItsAbsoluteEndIsNil() {
        let id = SessionID.generate()
        a.save(id, record(lifetime: -1), ttl: 60)
        XCTAssertEqual(a.load(id)?.ok(), .some(nil))
    }

    func loadOfMissingSessionIsNil() {
        XCTAssertEqual(a.load(SessionID.generate())?.ok(), .some(nil))
    }

    func touchAfterDeleteLeavesNoSession() {
        let id = SessionID.generate()
        var touched = record()
        touched.lastSeenAt += 60
        XCTAssertEqual(a.update(id, touched, ttl: 60)?.ok(), false, "never created by a touch")
        XCTAssertEqual(b.load(id)?.ok(), .some(nil))
        a.save(id, record(), ttl: 60)
        XCTAssertEqual(b.update(id, touched, ttl: 60)?.ok(), true)
        XCTAssertEqual(a.load(id)?.ok(), .some(touched), "a live session is replaced")
        XCTAssertNotNil(a.delete(id)?.ok())  // signed out while a request was in flight
        XCTAssertEqual(b.update(id, touched, ttl: 60)?.ok(), false)
        XCTAssertEqual(a.load(id)?.ok(), .some(nil), "the late touch does not bring it back")
    }

    func deleteSessionsEndsOnlyThoseSignedInWithThatIdentity() {
        func session(_ user: String, _ provider: String, _ subject: String) -> SessionRecord {
            var r = record(user: user)
            (r.provider, r.subject) = (provider, subject)
            return r
        }
        let viaGitHub = [SessionID.generate(), SessionID.generate()]
        let viaGoogle = SessionID.generate()
        let otherUser = SessionID.generate()
        let colonSubject = SessionID.generate()
        for id in viaGitHub { a.save(id, session("u_del", "github", "42"), ttl: 60) }
        b.save(viaGoogle, session("u_del", "google", "42"), ttl: 60)
        a.save(otherUser, session("u_other", "github", "42"), ttl: 60)
        b.save(colonSubject, session("u_del", "github", "42:x"), ttl: 60)
        let ended: Result<Int, StoreError>? = b.call {
            $0.deleteSessions(userID: "u_del", provider: "github", subject: "42", completion: $1)
        }
        XCTAssertEqual(ended?.ok(), 2)
        for id in viaGitHub { XCTAssertEqual(a.load(id)?.ok(), .some(nil)) }
        for id in [viaGoogle, otherUser, colonSubject] { XCTAssertNotNil(a.load(id)?.ok() ?? nil) }
        let again: Result<Int, StoreError>? = a.call {
            $0.deleteSessions(userID: "u_del", provider: "github", subject: "42", completion: $1)
        }
        XCTAssertEqual(again?.ok(), 0)
        // A session saved after the delete is indexed afresh.
        let later = SessionID.generate()
        a.save(later, session("u_del", "github", "42"), ttl: 60)
        let third: Result<Int, StoreError>? = b.call {
            $0.deleteSessions(userID: "u_del", provider: "github", subject: "42", completion: $1)
        }
        XCTAssertEqual(third?.ok(), 1)
        XCTAssertEqual(b.load(later)?.ok(), .some(nil))
    }

    // MARK: Sign-in

    func firstSignInCreatesUser() {
        let before = now
        let claims = IdentityClaims(
            provider: "github", subject: "1", email: "Ann@Example.com", emailVerified: true, login: "ann", name: "Ann")
        guard case .created(let user)? = a.signIn(claims)?.ok() else { return XCTFail("expected created") }
        XCTAssertTrue(user.id.hasPrefix("u_"))
        XCTAssertEqual(user.id.utf8.count, 24)
        XCTAssertEqual(user.email, "Ann@Example.com")
        XCTAssertEqual(user.name, "Ann")
        XCTAssertTrue(
            (before - 1...now + 1).contains(user.createdAt), "\(user.createdAt) not in \(before)...\(now + 1)")
        XCTAssertEqual(user.identities.count, 1)
        let identity = user.identities[0]
        XCTAssertEqual(
            [identity.provider, identity.subject, identity.login, identity.email],
            ["github", "1", "ann", "Ann@Example.com"])
        XCTAssertTrue(identity.emailVerified)
        XCTAssertEqual(user.identityNames, ["github:1"])
        XCTAssertEqual(b.user(user.id), user)
        XCTAssertNil(b.user("u_nobody"))
    }

    func secondSignInWithSameIdentityIsExisting() {
        var claims = IdentityClaims(
            provider: "github", subject: "7", email: "bo@example.com", emailVerified: true, login: "bo")
        guard let first = a.signIn(claims)?.ok()?.user else { return XCTFail("sign-in failed") }
        claims.login = "bo-renamed"
        claims.email = nil
        guard case .existing(let again)? = b.signIn(claims)?.ok() else { return XCTFail("expected existing") }
        XCTAssertEqual(again.id, first.id)
        XCTAssertEqual(again.identities.map(\.login), ["bo-renamed"], "details are refreshed")
        XCTAssertEqual(again.identities.map(\.linkedAt), first.identities.map(\.linkedAt))
        XCTAssertEqual(again.email, "bo@example.com", "the user keeps the email")
    }

    func verifiedEmailOnAnotherProviderLinks() {
        let github = IdentityClaims(provider: "github", subject: "11", email: "Cy@Example.com", emailVerified: true)
        let google = IdentityClaims(provider: "google", subject: "g-11", email: "cy@EXAMPLE.com", emailVerified: true)
        guard let created = a.signIn(github)?.ok()?.user else { return XCTFail("sign-in failed") }
        guard case .linkedByEmail(let linked)? = b.signIn(google)?.ok() else {
            return XCTFail("expected linkedByEmail")
        }
        XCTAssertEqual(linked.id, created.id)
        XCTAssertEqual(Set(linked.identityNames), ["github:11", "google:g-11"])
        guard case .existing(let again)? = a.signIn(google)?.ok() else { return XCTFail("expected existing") }
        XCTAssertEqual(again.id, created.id)
    }

    func unverifiedEmailNeverLinksOrClaims() {
        let owner = IdentityClaims(provider: "github", subject: "21", email: "dee@example.com", emailVerified: true)
        let intruder = IdentityClaims(
            provider: "twitter", subject: "21", email: "dee@example.com", emailVerified: false)
        guard let first = a.signIn(owner)?.ok()?.user else { return XCTFail("sign-in failed") }
        guard case .created(let other)? = b.signIn(intruder)?.ok() else { return XCTFail("expected created") }
        XCTAssertNotEqual(other.id, first.id, "an unverified email must not take over an account")
        XCTAssertNil(other.email, "an unverified email is not the user's email")
        // An unverified email claims nothing: a later verified sign-in does not join it.
        let unverified = IdentityClaims(
            provider: "gitlab", subject: "5", email: "eve@example.com", emailVerified: false)
        let verified = IdentityClaims(provider: "corp", subject: "5", email: "eve@example.com", emailVerified: true)
        guard let u3 = a.signIn(unverified)?.ok()?.user else { return XCTFail("sign-in failed") }
        guard case .created(let u4)? = b.signIn(verified)?.ok() else { return XCTFail("expected created") }
        XCTAssertNotEqual(u3.id, u4.id)
        XCTAssertEqual(u4.email, "eve@example.com")
    }

    func explicitLinkAndRefusalToStealAnIdentity() {
        guard let ann = a.signIn(IdentityClaims(provider: "github", subject: "31"))?.ok()?.user,
            let ben = a.signIn(IdentityClaims(provider: "google", subject: "32"))?.ok()?.user
        else { return XCTFail("sign-in failed") }
        let extra = IdentityClaims(
            provider: "google", subject: "33", email: "ann@corp.example", emailVerified: true, login: "a")
        guard let linked = b.link(extra, to: ann.id)?.ok() else { return }
        XCTAssertEqual(Set(linked.identityNames), ["github:31", "google:33"])
        XCTAssertEqual(linked.email, "ann@corp.example", "a verified email nobody owns is claimed")
        XCTAssertEqual(a.link(extra, to: ann.id)?.ok()?.identities.count, 2, "linking again is a no-op")

        let annBefore = a.user(ann.id)
        let benBefore = a.user(ben.id)
        let steal = a.link(IdentityClaims(provider: "google", subject: "32", login: "mallory"), to: ann.id)
        XCTAssertEqual(steal?.failure, .conflict(""))
        XCTAssertEqual(a.user(ann.id), annBefore, "a refused link changes nothing")
        XCTAssertEqual(a.user(ben.id), benBefore, "a refused link changes nothing")
        XCTAssertEqual(b.link(extra, to: "u_nobody")?.failure, .notFound)
        // The claimed email now links new identities to Ann.
        let later = IdentityClaims(provider: "corp", subject: "34", email: "ANN@corp.example", emailVerified: true)
        guard case .linkedByEmail(let joined)? = b.signIn(later)?.ok() else { return XCTFail("expected linkedByEmail") }
        XCTAssertEqual(joined.id, ann.id)
        XCTAssertEqual(a.user(ann.id), joined)
    }

    func unlinkAndRefusalToRemoveTheLastIdentity() {
        guard let user = a.signIn(IdentityClaims(provider: "github", subject: "41"))?.ok()?.user else {
            return XCTFail("sign-in failed")
        }
        XCTAssertNotNil(b.link(IdentityClaims(provider: "google", subject: "42"), to: user.id)?.ok())
        guard let after = b.unlink("google", "42", from: user.id)?.ok() else { return }
        XCTAssertEqual(after.identityNames, ["github:41"])
        XCTAssertEqual(a.unlink("github", "41", from: user.id)?.failure, .conflict(""))
        XCTAssertEqual(a.user(user.id)?.identityNames, ["github:41"], "a refused unlink changes nothing")
        XCTAssertEqual(a.unlink("google", "42", from: user.id)?.failure, .notFound)
        guard case .created(let fresh)? = a.signIn(IdentityClaims(provider: "google", subject: "42"))?.ok() else {
            return XCTFail("an unlinked identity signs in as someone new")
        }
        XCTAssertNotEqual(fresh.id, user.id)
    }

    /// Twenty first sign-ins at once, on both loops, one verified email across providers.
    func concurrentFirstSignInsWithOneVerifiedEmailMakeOneUser() {
        let outcomes = Box<SignInOutcome>()
        let group = DispatchGroup()
        for i in 0..<20 {
            let loop = loops[i % loops.count]
            let claims = IdentityClaims(
                provider: "p\(i % 5)", subject: "race-\(i)",
                email: i % 2 == 0 ? "Race@Example.com" : "race@example.COM",
                emailVerified: true)
            group.enter()
            loop.queue.async {
                loop.store.signIn(claims) { result in
                    if case .success(let outcome) = result { outcomes.append(outcome) }
                    group.leave()
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        let all = outcomes.all
        XCTAssertEqual(all.count, 20)
        XCTAssertEqual(Set(all.map(\.user.id)).count, 1, "exactly one user")
        XCTAssertEqual(all.filter { if case .created = $0 { return true } else { return false } }.count, 1)
        XCTAssertEqual(a.user(all[0].user.id)?.identities.count, 20)
    }
}
