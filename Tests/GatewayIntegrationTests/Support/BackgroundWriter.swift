// Writes a request from another thread, like a client that sends everything while it reads.
import Foundation
import Glibc

/// Thread-safety: `sent` and `failure` are written by the writer thread and read after `wait`
/// (or as a rough progress figure while it runs), so `@unchecked Sendable`.
final class BackgroundWriter: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private(set) var sent = 0
    /// The errno that stopped the writer early (EPIPE, ECONNRESET), or 0.
    private(set) var failure: Int32 = 0

    /// Starts writing `bytes` to `fd`; a full socket is retried until `timeout` passes.
    init(fd: Int32, bytes: [UInt8], timeout: TimeInterval = 30) {
        Thread { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            while sent < bytes.count && Date() < deadline {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n > 0 {
                    sent += n
                } else if errno != EAGAIN && errno != EINTR {
                    failure = errno
                    break
                }
            }
            done.signal()
        }.start()
    }

    /// Waits for the writer to end; false if it is still running after `timeout`.
    func wait(timeout: TimeInterval = 30) -> Bool {
        done.wait(timeout: .now() + timeout) == .success
    }
}
