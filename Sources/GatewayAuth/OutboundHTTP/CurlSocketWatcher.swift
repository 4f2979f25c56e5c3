// The read and write Dispatch sources for one socket libcurl asked us to watch.
import CCurlShims
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Watches one libcurl socket. Each source is created once, on first interest, then suspended or
/// resumed as libcurl's interest changes, and cancelled on CURL_POLL_REMOVE.
///
/// The sources watch a private dup of libcurl's fd. libcurl closes its fd right after
/// CURL_POLL_REMOVE, but a cancelled source leaves libdispatch's epoll set only later, on the
/// queue; a new socket that reused the number in between would be mixed up with the old one's
/// registration. The dup keeps our number, and the connection, until both cancel handlers ran.
///
/// Thread-safety: touched only on its client's queue.
final class CurlSocketWatcher {
    private let fd: Int32
    private let queue: DispatchQueue
    /// Called with CURL_CSELECT_IN or CURL_CSELECT_OUT.
    private let onEvent: (Int32) -> Void
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readResumed = false
    private var writeResumed = false
    private var isCancelled = false
    private let closer: FDCloser

    /// nil if the fd cannot be duplicated (out of descriptors).
    init?(curlFD: Int32, queue: DispatchQueue, onEvent: @escaping (Int32) -> Void) {
        let fd = gw_dup_cloexec(curlFD)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.queue = queue
        self.onEvent = onEvent
        closer = FDCloser(fd: fd)
    }

    /// Turns read and write events on or off, creating a source the first time it is wanted.
    func setInterest(read: Bool, write: Bool) {
        precondition(!isCancelled, "curl socket watcher used after CURL_POLL_REMOVE")
        if read, readSource == nil {
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [onEvent] in onEvent(CURL_CSELECT_IN) }
            source.setCancelHandler(handler: closer.sourceCancelled)
            closer.pending += 1
            readSource = source
        }
        if write, writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [onEvent] in onEvent(CURL_CSELECT_OUT) }
            source.setCancelHandler(handler: closer.sourceCancelled)
            closer.pending += 1
            writeSource = source
        }
        if let readSource, read != readResumed {
            readResumed = read
            if read { readSource.resume() } else { readSource.suspend() }
        }
        if let writeSource, write != writeResumed {
            writeResumed = write
            if write { writeSource.resume() } else { writeSource.suspend() }
        }
    }

    /// Cancels both sources; the dup is closed once their cancel handlers have run.
    func cancel() {
        guard !isCancelled else { return }
        isCancelled = true
        if closer.pending == 0 {
            closer.closeFD()
            return
        }
        readSource?.cancel()
        writeSource?.cancel()
        // A suspended source runs its cancel handler only once resumed, and must not be freed suspended.
        if let readSource, !readResumed { readSource.resume() }
        if let writeSource, !writeResumed { writeSource.resume() }
        readResumed = true
        writeResumed = true
    }
}

/// Closes the dup after the last of its sources is cancelled. Shared by the cancel handlers, so
/// they need not retain the watcher.
private final class FDCloser {
    let fd: Int32
    var pending = 0
    private var closed = false

    init(fd: Int32) { self.fd = fd }

    func sourceCancelled() {
        pending -= 1
        if pending == 0 { closeFD() }
    }

    func closeFD() {
        guard !closed else { return }
        closed = true
        _ = close(fd)
    }
}
