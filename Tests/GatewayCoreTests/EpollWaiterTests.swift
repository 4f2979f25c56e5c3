// The epoll backend's own thread: handlers run as the loop's queue (exclusive with its other
// work), and the thread and its two fds end with the loop.
import Dispatch
import Glibc
import XCTest

@testable import GatewayCore

final class EpollWaiterTests: XCTestCase {
    private final class Probe: @unchecked Sendable {
        var insideQueueWork = false
        var overlapped = false
        var threadName = ""
        var reads = 0  // bytes
    }

    private static func threadNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return names.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The process's open fds that are an epoll set or an eventfd, by number. Only these two
    /// kinds: other tests' sockets may close meanwhile, so a plain count is not this loop's.
    private static func pollFDs() -> [String: String] {
        var found: [String: String] = [:]
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                target == "anon_inode:[eventpoll]" || target == "anon_inode:[eventfd]"
            else { continue }
            found[fd] = target
        }
        return found
    }

    func testHandlersRunOnTheLoopsQueueOnItsOwnThreadNeverBesideOtherQueueWork() throws {
        let pair = try SocketPair()
        defer { Glibc.close(pair.a) }
        let loop = EventLoop(index: 91, backend: .epoll)
        let key = DispatchSpecificKey<Int>()
        loop.queue.setSpecific(key: key, value: 91)
        let probe = Probe()
        let done = expectation(description: "20 bytes read")
        var io: SocketIO!
        loop.queue.sync {
            io = loop.makeSocketIO(
                fd: pair.b,
                onReadable: {
                    XCTAssertEqual(DispatchQueue.getSpecific(key: key), 91, "a handler ran off the loop's queue")
                    if probe.insideQueueWork { probe.overlapped = true }
                    probe.threadName = ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    let before = probe.reads
                    probe.reads += pair.readAvailable(pair.b).count
                    if before < 20 && probe.reads >= 20 { done.fulfill() }
                }, onWritable: {})
            io.wantRead(true)
        }
        // Work queued on the loop (as timers and accepts are) while bytes keep arriving: the
        // waiter's batches must wait for it, never run beside it.
        for round in 0..<20 {
            loop.execute {
                probe.insideQueueWork = true
                usleep(2000)
                probe.insideQueueWork = false
            }
            XCTAssertEqual(pair.write([UInt8(round)], to: pair.a), 1)
            usleep(3000)
        }
        wait(for: [done], timeout: 10)
        loop.queue.sync {
            XCTAssertFalse(probe.overlapped, "a batch ran while other work held the queue")
            XCTAssertEqual(probe.threadName, "gateway-loop-91")
            io.close()
        }
    }

    func testTheThreadAndItsFdsEndWithTheLoop() throws {
        let pair = try SocketPair()
        defer { for fd in [pair.a, pair.b] { Glibc.close(fd) } }
        let before = Self.pollFDs()
        var loop: EventLoop? = EventLoop(index: 92, backend: .epoll)
        loop!.queue.sync { _ = loop!.makeSocketIO(fd: pair.b, onReadable: {}, onWritable: {}) }
        XCTAssertTrue(Self.threadNames().contains("gateway-loop-92"))
        let added = Self.pollFDs().filter { before[$0.key] == nil }
        XCTAssertEqual(added.values.sorted(), ["anon_inode:[eventfd]", "anon_inode:[eventpoll]"], "the epoll set and the wake fd")
        loop = nil
        let deadline = Date().addingTimeInterval(5)
        while Self.threadNames().contains("gateway-loop-92") && Date() < deadline { usleep(10_000) }
        XCTAssertFalse(Self.threadNames().contains("gateway-loop-92"), "the waiter outlived its loop")
        let left = Self.pollFDs()
        for (fd, kind) in added { XCTAssertNotEqual(left[fd], kind, "fd \(fd) (\(kind)) is still open") }
    }

    /// What a batch's handlers hand to `afterBatch` runs once every handler of the batch has
    /// returned, on the loop's own thread, before the thread waits again (work that work queues
    /// too); outside a batch it is a later turn of the queue, not a call on the spot.
    private final class Work: AfterBatchWork, @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
        func runAfterBatch() { body() }
    }

    func testWorkAfterTheBatchRunsOnTheLoopsThreadOnceItsHandlersHaveReturned() throws {
        let pair = try SocketPair()
        defer { Glibc.close(pair.a) }
        let loop = EventLoop(index: 93, backend: .epoll)
        final class Trace: @unchecked Sendable {
            var steps: [String] = []
            var threads: Set<String> = []
            var io: SocketIO!
            var ranOnTheSpot = false
            var keep: [Work] = []
        }
        let trace = Trace()
        @Sendable func thread() -> String {
            ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let done = expectation(description: "the batch's work ran")
        loop.queue.sync {
            trace.io = loop.makeSocketIO(
                fd: pair.b,
                onReadable: {
                    _ = pair.readAvailable(pair.b)
                    trace.steps.append("read")
                    trace.keep.append(Work {
                        trace.steps.append("first")
                        trace.threads.insert(thread())
                        trace.keep.append(Work {
                            trace.steps.append("queued by work")
                            trace.threads.insert(thread())
                            done.fulfill()
                        })
                        trace.io.afterBatch(trace.keep.last!)
                    })
                    trace.io.afterBatch(trace.keep.last!)
                    trace.keep.append(Work {
                        trace.steps.append("second")
                        trace.threads.insert(thread())
                    })
                    trace.io.afterBatch(trace.keep.last!)
                    trace.steps.append("handler returns")
                }, onWritable: {})
            trace.io.wantRead(true)
        }
        XCTAssertEqual(pair.write([1], to: pair.a), 1)
        wait(for: [done], timeout: 5)
        loop.queue.sync {
            XCTAssertEqual(trace.steps, ["read", "handler returns", "first", "second", "queued by work"])
            XCTAssertEqual(trace.threads, ["gateway-loop-93"], "batch work ran off the loop's thread")
        }
        // Outside a batch (here a block of the test's own on the queue): not run on the spot.
        let later = expectation(description: "work asked for outside a batch ran")
        loop.queue.sync {
            trace.keep.append(Work {
                trace.ranOnTheSpot = true
                later.fulfill()
            })
            trace.io.afterBatch(trace.keep.last!)
            XCTAssertFalse(trace.ranOnTheSpot, "afterBatch ran its work inside the caller's block")
        }
        wait(for: [later], timeout: 5)
        loop.queue.sync { trace.io.close() }
    }
}
