// RedisConnectionTests for a subscribed connection: messages arrive, "up" means the
// subscription is confirmed, and a killed connection comes back subscribed.
import Dispatch
import Foundation
import GatewaySessions
import GatewayTestSupport
import XCTest

extension RedisConnectionTests {
    private func subscriptionConnection(_ label: String) -> RedisConnection {
        let connection = RedisConnection(queue: DispatchQueue(label: "test.sub.\(label)"), host: "127.0.0.1", port: server.port)
        connections.append(connection)
        return connection
    }

    private func publish(_ publisher: RedisConnection, _ payload: String) -> Int? {
        let result = waitFor(on: publisher.queue) { done in
            publisher.send(["PUBLISH", "gateway:test", payload], completion: done)
        }
        if case .success(.integer(let receivers))? = result { return receivers }
        return nil
    }

    func testMessagesArriveOnlyOnceSubscribedAndAfterAReconnect() throws {
        let received = Box<String>()
        let changes = Box<Bool>()
        let subscriber = subscriptionConnection("subscriber")
        subscriber.subscribe(to: Array("gateway:test".utf8)) { received.append(String(decoding: $0, as: UTF8.self)) }
        subscriber.onConnectionChange = { changes.append($0) }
        let publisher = subscriptionConnection("publisher")
        publisher.start()
        subscriber.start()
        eventually(on: publisher.queue, "publisher up") { publisher.isConnected }
        eventually(on: subscriber.queue, "subscribed") { subscriber.isConnected }
        // Up means Redis has the subscription: the very next publish reaches it.
        XCTAssertEqual(publish(publisher, "one"), 1)
        eventually(on: subscriber.queue, "first message") { received.all == ["one"] }

        // A subscribed connection takes no other command.
        let refused = waitFor(on: subscriber.queue) { done in subscriber.send(["PING"], completion: done) }
        guard case .failure(.unavailable)? = refused else { return XCTFail("a subscribed connection ran PING: \(String(describing: refused))") }

        // The server drops it; it reconnects, subscribes again, and says down then up.
        let killed = waitFor(on: publisher.queue) { done in
            publisher.send(["CLIENT", "KILL", "TYPE", "pubsub"], completion: done)
        }
        guard case .success(.integer(1))? = killed else { return XCTFail("CLIENT KILL: \(String(describing: killed))") }
        eventually(on: subscriber.queue, "down then up again") { changes.all == [true, false, true] }
        XCTAssertEqual(publish(publisher, "two"), 1)
        eventually(on: subscriber.queue, "message after the reconnect") { received.all == ["one", "two"] }
    }
}
