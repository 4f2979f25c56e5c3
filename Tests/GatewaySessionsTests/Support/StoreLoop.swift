// One event loop's view of a store under test: the store and the queue to call it on.
import Dispatch
import GatewaySessions
import XCTest

typealias AnyStore = any SessionStore & IdentityStore

struct StoreLoop: Sendable {
    let store: AnyStore
    let queue: DispatchQueue

    /// Calls the store on this loop's queue and waits for the completion.
    func call<T: Sendable>(
        file: StaticString = #filePath, line: UInt = #line,
        _ body: @escaping @Sendable (AnyStore, @escaping @Sendable (T) -> Void) -> Void
    ) -> T? {
        let store = self.store
        return waitFor(on: queue, file: file, line: line) { done in body(store, done) }
    }

    func load(_ id: SessionID, file: StaticString = #filePath, line: UInt = #line) -> Result<
        SessionRecord?, StoreError
    >? {
        call(file: file, line: line) { $0.load(id, completion: $1) }
    }

    func save(_ id: SessionID, _ record: SessionRecord, ttl: Int, file: StaticString = #filePath, line: UInt = #line) {
        let result: Result<Void, StoreError>? = call(file: file, line: line) {
            $0.save(id, record, ttlSeconds: ttl, completion: $1)
        }
        if case .failure(let error)? = result { XCTFail("save failed: \(error)", file: file, line: line) }
    }

    func update(_ id: SessionID, _ record: SessionRecord, ttl: Int, file: StaticString = #filePath, line: UInt = #line)
        -> Result<Bool, StoreError>?
    {
        call(file: file, line: line) { $0.update(id, record, ttlSeconds: ttl, completion: $1) }
    }

    func delete(_ id: SessionID, file: StaticString = #filePath, line: UInt = #line) -> Result<Void, StoreError>? {
        call(file: file, line: line) { $0.delete(id, completion: $1) }
    }

    func signIn(_ claims: IdentityClaims, file: StaticString = #filePath, line: UInt = #line)
        -> Result<SignInOutcome, StoreError>?
    {
        call(file: file, line: line) { $0.signIn(claims, completion: $1) }
    }

    func link(_ claims: IdentityClaims, to userID: String, file: StaticString = #filePath, line: UInt = #line)
        -> Result<UserRecord, StoreError>?
    {
        call(file: file, line: line) { $0.link(claims, to: userID, completion: $1) }
    }

    func unlink(
        _ provider: String, _ subject: String, from userID: String, file: StaticString = #filePath, line: UInt = #line
    )
        -> Result<UserRecord, StoreError>?
    {
        call(file: file, line: line) { $0.unlink(provider: provider, subject: subject, from: userID, completion: $1) }
    }

    func user(_ id: String, file: StaticString = #filePath, line: UInt = #line) -> UserRecord? {
        let result: Result<UserRecord?, StoreError>? = call(file: file, line: line) { $0.user(id, completion: $1) }
        guard case .success(let user)? = result else {
            XCTFail("user(\(id)) failed: \(String(describing: result))", file: file, line: line)
            return nil
        }
        return user
    }
}

extension Result {
    /// The success value, or nil after recording a failure.
    func ok(file: StaticString = #filePath, line: UInt = #line) -> Success? {
        switch self {
        case .success(let value): return value
        case .failure(let error):
            XCTFail("unexpected failure: \(error)", file: file, line: line)
            return nil
        }
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
