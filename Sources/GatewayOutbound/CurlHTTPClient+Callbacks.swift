// The C entry points libcurl calls. Each captures nothing and finds its Swift owner through an
// Unmanaged pointer: the client for socket and timer callbacks, the transfer for data callbacks.
import CCurl

enum CurlCallbacks {
    /// CURLMOPT_SOCKETFUNCTION: start, change or stop watching a socket.
    static let socket: curl_socket_callback = { _, fd, what, userp, _ in
        guard let userp else { return -1 }
        let client = Unmanaged<CurlHTTPClient>.fromOpaque(userp).takeUnretainedValue()
        return client.curlWatch(socket: fd, what: what) ? 0 : -1
    }

    /// CURLMOPT_TIMERFUNCTION: libcurl's single timeout changed.
    static let timer: curl_multi_timer_callback = { _, timeoutMilliseconds, userp in
        guard let userp else { return -1 }
        let client = Unmanaged<CurlHTTPClient>.fromOpaque(userp).takeUnretainedValue()
        client.curlSetTimer(milliseconds: timeoutMilliseconds)
        return 0
    }

    /// CURLOPT_WRITEFUNCTION: a body chunk. Returning less than given aborts with CURLE_WRITE_ERROR.
    static let write: curl_write_callback = { data, size, count, userp in
        guard let userp else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userp).takeUnretainedValue()
        let length = size * count
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    /// CURLOPT_HEADERFUNCTION: one complete header line, CRLF included.
    static let header: curl_write_callback = { data, size, count, userp in
        guard let userp else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userp).takeUnretainedValue()
        let length = size * count
        return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }
}
