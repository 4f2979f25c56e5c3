// Thin, non-blocking socket system calls: listen, accept, connect, close.
import CCoreShims
import Glibc

public enum Socket {
    /// A non-blocking listening socket. `reusePort` lets every loop own a socket on the same port
    /// so the kernel spreads new connections over the loops.
    public static func listen(on address: SocketAddress, reusePort: Bool, backlog: Int32 = 1024) throws -> Int32 {
        let fd = gw_stream_socket(address.family)
        guard fd >= 0 else { throw SystemError("socket") }
        _ = gw_set_int_sockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if reusePort { _ = gw_set_int_sockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
        if address.family == AF_INET6 { _ = gw_set_int_sockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        let rc = address.withSockaddr { bind(fd, $0, $1) }
        guard rc == 0 else {
            let error = SystemError("bind \(address)")
            Glibc.close(fd)
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SystemError("listen \(address)")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// The address a socket is bound to (to read back port 0).
    public static func localAddress(of fd: Int32) throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw SystemError("getsockname") }
        return SocketAddress(storage: storage, length: length)
    }

    public enum AcceptResult {
        case accepted(Int32, SocketAddress)
        case wouldBlock
        case failed(SystemError)
    }

    public static func accept(_ listenFD: Int32) -> AcceptResult {
        var storage = sockaddr_storage()
        var length = UInt32(MemoryLayout<sockaddr_storage>.size)
        let fd = gw_accept_nonblocking(listenFD, &storage, &length)
        if fd >= 0 {
            _ = gw_set_int_sockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            return .accepted(fd, SocketAddress(storage: storage, length: socklen_t(length)))
        }
        let e = gw_errno()
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED { return .wouldBlock }
        return .failed(SystemError("accept", errno: e))
    }

    public enum ConnectResult {
        case connected(Int32)
        case inProgress(Int32)
        case failed(SystemError)
    }

    /// Starts a non-blocking connect; `.inProgress` completes when the socket turns writable.
    public static func connect(to address: SocketAddress) -> ConnectResult {
        let fd = gw_stream_socket(address.family)
        guard fd >= 0 else { return .failed(SystemError("socket")) }
        _ = gw_set_int_sockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return .connected(fd) }
        let e = gw_errno()
        if e == EINPROGRESS { return .inProgress(fd) }
        Glibc.close(fd)
        return .failed(SystemError("connect \(address)", errno: e))
    }

    /// The outcome of a non-blocking connect, once the socket is writable: 0 or an errno.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 { return gw_errno() }
        return value
    }

    /// Sends FIN but keeps reading: the first half of a staged close.
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Whether the kernel holds received bytes not yet read (a peek, which consumes nothing).
    public static func hasPendingInput(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) > 0
    }

    /// Makes the next close send RST and drop unsent bytes at once (SO_LINGER with a zero timeout).
    public static func resetOnClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
