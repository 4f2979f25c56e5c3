// One round of discovery: ask each sentinel in turn where the primary is, until one knows.
import Dispatch
import GatewayCore

/// Asks `SENTINEL get-master-addr-by-name MASTER` of the sentinels in order, each over a
/// short-lived connection on the caller's queue (non-blocking, like every Redis connection).
/// A sentinel that is down, slow (past `stepTimeout` to connect, and again to answer), or does
/// not know the name is skipped; the answer comes once, on `queue`.
///
/// Thread-safety: `@unchecked Sendable`; touched only on `queue`. It keeps itself alive through
/// its connection's callbacks until it answers.
final class SentinelQuery: @unchecked Sendable {
    static let stepTimeout: Duration = .seconds(1)

    private let sentinels: [RedisAddress]
    private let master: String
    private let password: String?
    private let queue: DispatchQueue
    private let socketIO: SocketIOFactory?
    private var next = 0
    private var current: RedisConnection?
    private var problems: [String] = []
    private var answer: ((RedisLocator.Located) -> Void)?

    init(
        sentinels: [RedisAddress], master: String, password: String?, queue: DispatchQueue,
        socketIO: SocketIOFactory?
    ) {
        precondition(!sentinels.isEmpty, "a sentinel query needs a sentinel to ask")
        self.sentinels = sentinels
        self.master = master
        self.password = password
        self.queue = queue
        self.socketIO = socketIO
    }

    /// Starts asking; call on `queue`, once.
    func run(_ answer: @escaping (RedisLocator.Located) -> Void) {
        precondition(self.answer == nil && next == 0, "a sentinel query runs once")
        self.answer = answer
        askNext()
    }

    private func askNext() {
        guard next < sentinels.count else {
            return finish(.failed("no sentinel knows the primary \"\(master)\" (\(problems.joined(separator: "; ")))"))
        }
        let sentinel = sentinels[next]
        next += 1
        let connection = RedisConnection(
            queue: queue, host: sentinel.host, port: sentinel.port, password: password, logger: nil,
            commandTimeout: Self.stepTimeout, connectTimeout: Self.stepTimeout, socketIO: socketIO)
        current = connection
        connection.onFailure = { [self] reason in step(connection, failed: "\(sentinel): \(reason)") }
        connection.onConnectionChange = { [self] up in
            guard up else { return }
            let ask = [Array("SENTINEL".utf8), Array("get-master-addr-by-name".utf8), Array(master.utf8)]
            connection.send(ask) { [self] result in
                switch result {
                case .success(let value):
                    if let address = SentinelReply.masterAddress(value) {
                        drop(connection)
                        finish(.found(address))
                    } else {
                        step(connection, failed: "\(sentinel): does not monitor \"\(master)\"")
                    }
                case .failure(let error):
                    step(connection, failed: "\(sentinel): \(error)")
                }
            }
        }
        connection.start()
    }

    /// This sentinel could not answer: note why and ask the next one.
    private func step(_ connection: RedisConnection, failed problem: String) {
        guard connection === current else { return }  // a late callback of one already dropped
        drop(connection)
        problems.append(problem)
        askNext()
    }

    private func drop(_ connection: RedisConnection) {
        connection.onFailure = nil
        connection.onConnectionChange = nil
        connection.close()
        if connection === current { current = nil }
    }

    private func finish(_ located: RedisLocator.Located) {
        let answer = self.answer
        self.answer = nil
        answer?(located)
    }
}
