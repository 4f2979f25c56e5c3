// Polling with a deadline, for what a test cannot drive with a clock: another process, a socket.
import Foundation

/// Evaluates `condition` every `interval` until it holds (true) or `timeout` passes (false).
/// The condition is always checked once more at the deadline.
@discardableResult
public func waitUntil(
    timeout: TimeInterval, interval: TimeInterval = 0.01, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}
