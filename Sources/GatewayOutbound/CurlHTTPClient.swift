// Outbound HTTP to identity providers on libcurl's multi interface, driven by the loop's event backend.
import CCurl
import CCurlShims
import Dispatch
import GatewayCore

/// One libcurl multi handle per event loop. All calls, and every completion, happen on `queue`.
///
/// libcurl never blocks the loop: it names the sockets to watch (CURLMOPT_SOCKETFUNCTION) and
/// when to wake it (CURLMOPT_TIMERFUNCTION). Each socket is watched through a `SocketIO` from
/// the loop's factory, so it sits in the same epoll set (or Dispatch backend) as every other
/// socket of the loop, and its events call `curl_multi_socket_action`. The timer is a Dispatch
/// timer on `queue`. Connections stay in the multi's cache and are reused for the next request.
///
/// Socket ownership: libcurl owns its fd and closes it right after CURL_POLL_REMOVE (or in
/// `curl_multi_cleanup`), while `SocketIO.close()` closes the fd it was given. So each `SocketIO`
/// gets a private dup (`gw_dup_cloexec`), watched under the dup's own number, and closing it on
/// CURL_POLL_REMOVE never closes an fd libcurl still owns. epoll keys a registration on the fd
/// and its open file description: the dup is removed from the set before it is closed, so
/// nothing lingers when libcurl closes its fd, and a number libcurl reuses for its next socket
/// gets a fresh registration (and generation). The Dispatch backend closes the dup once its
/// sources are cancelled.
///
/// Thread-safety: `@unchecked Sendable` because all its state is touched only on `queue`.
public final class CurlHTTPClient: OutboundHTTP, @unchecked Sendable {
    public typealias Completion = (Result<OutboundResponse, OutboundHTTPError>) -> Void
    /// The User-Agent of every request that does not set its own.
    public static let userAgent = "auth-gateway/0.1"

    private let queue: DispatchQueue
    private let makeSocketIO: SocketIOFactory
    private let caFile: String?
    /// nil once closed.
    private var multi: UnsafeMutableRawPointer?
    /// Keyed by easy handle; owning the transfers keeps their callback contexts alive.
    private var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Keyed by libcurl's fd; each `SocketIO` owns a dup of it.
    private var sockets: [curl_socket_t: SocketIO] = [:]
    private var timer: DispatchSourceTimer?
    private var timeoutKickPending = false

    /// A client on `loop`: its sockets join the loop's backend (`EventLoop.makeSocketIO`).
    /// `caFile` (PEM) replaces the system CAs, for IdPs behind a private CA. Verification stays on.
    public convenience init(loop: EventLoop, caFile: String? = nil) {
        self.init(queue: loop.queue, makeSocketIO: loop.makeSocketIO, caFile: caFile)
    }

    /// A client whose sockets come from `makeSocketIO`, which must deliver events on `queue`.
    public init(queue: DispatchQueue, makeSocketIO: @escaping SocketIOFactory, caFile: String? = nil) {
        self.queue = queue
        self.makeSocketIO = makeSocketIO
        self.caFile = caFile
        let initResult = gw_curl_global_init_once()
        precondition(
            initResult == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(initResult)))")
        guard let multi = curl_multi_init() else { preconditionFailure("curl_multi_init failed") }
        self.multi = multi
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = gw_curl_multi_setopt_socket_callback(multi, CurlCallbacks.socket)
        _ = gw_curl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = gw_curl_multi_setopt_timer_callback(multi, CurlCallbacks.timer)
        _ = gw_curl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)

        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.socketAction(CURL_SOCKET_TIMEOUT, 0) }
        timer.schedule(deadline: .distantFuture)
        timer.activate()
        self.timer = timer
    }

    deinit {
        // close() normally ran on the queue already. If not, free libcurl's state now and still
        // deliver the cancellations on the queue.
        let (unfinished, sockets) = teardown()
        // The backend's socket state belongs to the queue, and deinit may run off it. Until the
        // dups close, their handlers find no client and do nothing.
        queue.async { for io in sockets.all { io.close() } }
        for transfer in unfinished {
            let error = OutboundHTTPError(.cancelled, host: transfer.host, detail: "the client was released")
            queue.async { transfer.finish(.failure(error)) }
        }
    }

    /// Starts `request`. `completion` runs on `queue` exactly once, never inside this call.
    /// An HTTP error status is a response, not an error.
    public func send(_ request: OutboundRequest, completion: @escaping Completion) {
        dispatchPrecondition(condition: .onQueue(queue))
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, caFile: caFile, completion: completion)
        } catch {
            let deferred = DeferredCompletion(run: completion)
            queue.async { deferred.run(.failure(error)) }
            return
        }
        guard let multi else {
            failLater(transfer, OutboundHTTPError(.cancelled, host: transfer.host, detail: "the client is closed"))
            return
        }
        transfers[transfer.easy] = transfer
        // Adding sets a 0 ms timeout through the timer callback, and that starts the transfer.
        let code = curl_multi_add_handle(multi, transfer.easy)
        guard code == CURLM_OK else {
            transfers[transfer.easy] = nil
            let detail = String(cString: curl_multi_strerror(code))
            failLater(transfer, OutboundHTTPError(.other, host: transfer.host, detail: detail))
            return
        }
    }

    /// Cancels every transfer (their completions get `.cancelled`) and frees libcurl's handles.
    /// Later sends fail with `.cancelled`. Safe to call twice.
    public func close() {
        dispatchPrecondition(condition: .onQueue(queue))
        let (unfinished, sockets) = teardown()
        for io in sockets.all { io.close() }
        for transfer in unfinished {
            transfer.finish(
                .failure(OutboundHTTPError(.cancelled, host: transfer.host, detail: "the client was closed")))
        }
    }

    /// Transfers in flight and sockets watched, for tests and metrics.
    var activity: (transfers: Int, sockets: Int) { (transfers.count, sockets.count) }

    // MARK: - Driving libcurl

    /// From CURLMOPT_SOCKETFUNCTION: watch `fd` for what libcurl wants, or stop on CURL_POLL_REMOVE.
    func curlWatch(socket fd: curl_socket_t, what: Int32) -> Bool {
        if what == CURL_POLL_REMOVE {
            // Closes only the dup; libcurl closes `fd` itself after this returns.
            sockets.removeValue(forKey: fd)?.close()
            return true
        }
        let io: SocketIO
        if let existing = sockets[fd] {
            io = existing
        } else {
            // The dup is ours to close (see the type's comment); fails only when out of descriptors.
            let dup = gw_dup_cloexec(fd)
            guard dup >= 0 else { return false }
            io = makeSocketIO(
                dup, { [weak self] in self?.socketAction(fd, CURL_CSELECT_IN) },
                { [weak self] in self?.socketAction(fd, CURL_CSELECT_OUT) })
            sockets[fd] = io
        }
        io.wantRead(what & CURL_POLL_IN != 0)
        io.wantWrite(what & CURL_POLL_OUT != 0)
        return true
    }

    /// From CURLMOPT_TIMERFUNCTION: -1 stops the timer, 0 means "act now", else wake after that long.
    func curlSetTimer(milliseconds: Int) {
        guard let timer else { return }
        let deadline: DispatchTime = milliseconds > 0 ? .now() + .milliseconds(milliseconds) : .distantFuture
        timer.schedule(deadline: deadline, leeway: .milliseconds(1))
        guard milliseconds == 0, !timeoutKickPending else { return }
        // libcurl must not be re-entered from its own callback: act right after it returns.
        timeoutKickPending = true
        queue.async { [weak self] in
            guard let self else { return }
            self.timeoutKickPending = false
            self.socketAction(CURL_SOCKET_TIMEOUT, 0)
        }
    }

    private func socketAction(_ fd: curl_socket_t, _ mask: Int32) {
        guard let multi else { return }
        var running: Int32 = 0
        _ = curl_multi_socket_action(multi, fd, mask, &running)
        completeFinishedTransfers(multi)
    }

    private func completeFinishedTransfers(_ multi: UnsafeMutableRawPointer) {
        var finished: [(CurlTransfer, CURLcode)] = []
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            // Removing invalidates `message`, so everything needed was read above.
            _ = curl_multi_remove_handle(multi, easy)
            if let transfer = transfers.removeValue(forKey: easy) { finished.append((transfer, code)) }
        }
        // Completions run last, because one may send again or close the client.
        for (transfer, code) in finished { transfer.complete(code) }
    }

    /// Frees libcurl's handles and stops the timer; returns the transfers that never finished and
    /// the sockets (dups) still to close, which the caller closes on the queue.
    private func teardown() -> (unfinished: [CurlTransfer], sockets: SocketsToClose) {
        guard let multi else { return ([], SocketsToClose(all: [])) }
        self.multi = nil
        // Unset first, so libcurl's cleanup cannot call back into a half-closed client.
        _ = gw_curl_multi_setopt_socket_callback(multi, nil)
        _ = gw_curl_multi_setopt_timer_callback(multi, nil)
        let unfinished = Array(transfers.values)
        transfers = [:]
        for transfer in unfinished { _ = curl_multi_remove_handle(multi, transfer.easy) }
        _ = curl_multi_cleanup(multi)
        let watched = SocketsToClose(all: Array(sockets.values))
        sockets = [:]
        timer?.cancel()
        timer = nil
        return (unfinished, watched)
    }

    /// Immediate failures still complete asynchronously, so a caller never sees its completion
    /// run inside `send` while it may be holding state half-updated.
    private func failLater(_ transfer: CurlTransfer, _ error: OutboundHTTPError) {
        queue.async { transfer.finish(.failure(error)) }
    }
}

/// Carries a completion into `queue.async`. Sound because it runs on the queue `send` was called on.
private struct DeferredCompletion: @unchecked Sendable {
    let run: CurlHTTPClient.Completion
}

/// Carries the sockets left at teardown into `queue.async`. Sound because they are closed on their queue.
private struct SocketsToClose: @unchecked Sendable {
    let all: [SocketIO]
}
