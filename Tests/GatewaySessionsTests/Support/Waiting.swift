// Blocking helpers for tests: run a callback-style call on a queue and wait for its answer.
import Dispatch
import Foundation
import GatewayTestSupport
import Synchronization
import XCTest

/// Collects values from any thread and fails if one is delivered twice when only one is due.
final class Box<T: Sendable>: Sendable {
    private let values = Mutex<[T]>([])
    func append(_ value: T) { values.withLock { $0.append(value) } }
    var all: [T] { values.withLock { $0 } }
}

/// Runs `body` on `queue`, waits for its one completion, and returns the value.
func waitFor<T: Sendable>(
    on queue: DispatchQueue, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
    _ body: @escaping @Sendable (@escaping @Sendable (T) -> Void) -> Void
) -> T? {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    queue.async {
        body { value in
            box.append(value)
            done.signal()
        }
    }
    guard done.wait(timeout: .now() + timeout) == .success else {
        XCTFail("no completion within \(timeout) s", file: file, line: line)
        return nil
    }
    // Give a second completion a moment to show up.
    queue.sync {}
    XCTAssertEqual(box.all.count, 1, "completion must run exactly once", file: file, line: line)
    return box.all.first
}

/// Polls `condition` (evaluated on `queue`) until it holds or `timeout` passes.
func eventually(
    on queue: DispatchQueue, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
    _ what: String, _ condition: @escaping @Sendable () -> Bool
) {
    if waitUntil(timeout: timeout, interval: 0.02, { queue.sync(execute: condition) }) { return }
    XCTFail("timed out waiting: \(what)", file: file, line: line)
}
