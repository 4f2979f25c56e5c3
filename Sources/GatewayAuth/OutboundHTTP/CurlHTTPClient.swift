// Outbound HTTP to identity providers on libcurl's multi interface, driven by the loop's Dispatch sources.
import CCurl
import CCurlShims
import Dispatch

/// One libcurl multi handle per event loop. All calls, and every completion, happen on `queue`.
///
/// libcurl never blocks the loop: it names the sockets to watch (CURLMOPT_SOCKETFUNCTION) and
/// when to wake it (CURLMOPT_TIMERFUNCTION), and the sources call `curl_multi_socket_action`.
/// Connections stay in the multi's cache and are reused for the next request to the same host.
///
/// Thread-safety: `@unchecked Sendable` because all its state is touched only on `queue`.
public final class CurlHTTPClient: @unchecked Sendable {
    public typealias Completion = (Result<OutboundResponse, OutboundHTTPError>) -> Void

    private let queue: DispatchQueue
    private let caFile: String?
    /// nil once closed.
    private var multi: UnsafeMutableRawPointer?
    /// Keyed by easy handle; owning the transfers keeps their callback contexts alive.
    private var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Keyed by libcurl's fd (the watcher itself watches a dup of it).
    private var sockets: [curl_socket_t: CurlSocketWatcher] = [:]
    private var timer: DispatchSourceTimer?
    private var timeoutKickPending = false

    /// `caFile` (PEM) replaces the system CAs, for IdPs behind a private CA. Verification stays on.
    public init(queue: DispatchQueue, caFile: String? = nil) {
        self.queue = queue
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
        for transfer in teardown() {
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
        for transfer in teardown() {
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
            sockets.removeValue(forKey: fd)?.cancel()
            return true
        }
        let watcher: CurlSocketWatcher
        if let existing = sockets[fd] {
            watcher = existing
        } else {
            let onEvent: (Int32) -> Void = { [weak self] mask in self?.socketAction(fd, mask) }
            guard let created = CurlSocketWatcher(curlFD: fd, queue: queue, onEvent: onEvent) else { return false }
            sockets[fd] = created
            watcher = created
        }
        watcher.setInterest(read: what & CURL_POLL_IN != 0, write: what & CURL_POLL_OUT != 0)
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

    /// Frees libcurl's handles and stops every source; returns the transfers that never finished.
    private func teardown() -> [CurlTransfer] {
        guard let multi else { return [] }
        self.multi = nil
        // Unset first, so libcurl's cleanup cannot call back into a half-closed client.
        _ = gw_curl_multi_setopt_socket_callback(multi, nil)
        _ = gw_curl_multi_setopt_timer_callback(multi, nil)
        let unfinished = Array(transfers.values)
        transfers = [:]
        for transfer in unfinished { _ = curl_multi_remove_handle(multi, transfer.easy) }
        _ = curl_multi_cleanup(multi)
        for watcher in sockets.values { watcher.cancel() }
        sockets = [:]
        timer?.cancel()
        timer = nil
        return unfinished
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
