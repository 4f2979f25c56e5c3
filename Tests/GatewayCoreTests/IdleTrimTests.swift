// A loop that goes idle after a busy spell gives the pool's spare blocks back, once, and not
// while connections keep taking buffers.
import Dispatch
import Glibc
import XCTest

@testable import GatewayCore

final class IdleTrimTests: XCTestCase {
    private func spell(_ loop: EventLoop, blocks: Int) {
        loop.queue.sync {
            let taken = (0..<blocks).map { _ in loop.buffers.take() }
            for block in taken { loop.buffers.give(block) }
        }
    }

    private func freeCount(_ loop: EventLoop) -> Int { loop.queue.sync { loop.buffers.freeCount } }

    func testTheSpareBlocksGoBackOnceTheLoopIsIdleAndNotWhileItIsBusy() {
        let loop = EventLoop(index: 93)
        loop.queue.sync { loop.idleTrimDelay = 400_000_000 }
        loop.start()
        let keep = loop.buffers.limit / 8
        spell(loop, blocks: 40)
        XCTAssertEqual(freeCount(loop), 40)
        // Busy: a buffer taken every 100 ms for a second keeps the blocks pooled.
        for _ in 0..<10 {
            spell(loop, blocks: 1)
            usleep(100_000)
        }
        XCTAssertEqual(freeCount(loop), 40, "trimmed while connections kept taking buffers")
        // Idle: within a second of the delay, down to what the loop keeps.
        let deadline = Date().addingTimeInterval(3)
        while freeCount(loop) > keep && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(freeCount(loop), keep)
        // Once per spell: blocks given back while idle stay until the next busy spell ends.
        loop.queue.sync { for _ in 0..<5 { loop.buffers.give(UnsafeMutableRawPointer.allocate(byteCount: loop.buffers.blockSize, alignment: 16)) } }
        usleep(700_000)
        XCTAssertEqual(freeCount(loop), keep + 5)
    }
}
