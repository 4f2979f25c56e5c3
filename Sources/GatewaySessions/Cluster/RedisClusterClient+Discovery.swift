// The cluster client's slot map: `CLUSTER SLOTS` from any node that answers, again on every
// MOVED, lost node or CLUSTERDOWN, and on a timer (fast while a slot's node is down).
import Dispatch

extension RedisClusterClient {
    /// How often the ticker looks; a refresh runs at most this often.
    static let tick: Duration = .milliseconds(250)
    /// How often the map is asked for while every slot's node answers.
    static let steadyRefresh: Duration = .seconds(5)

    func startTicker() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = Int(RedisConnection.nanoseconds(Self.tick))
        timer.schedule(deadline: .now(), repeating: .nanoseconds(interval), leeway: .milliseconds(20))
        timer.setEventHandler { [weak self] in self?.tickFired() }
        timer.resume()
        ticker = timer
    }

    private func tickFired() {
        let since = DispatchTime.now().uptimeNanoseconds &- lastRefresh
        if isDegraded || since >= RedisConnection.nanoseconds(Self.steadyRefresh) { refresh() }
    }

    /// Asks for the map now, or at the next tick if one was asked for less than a tick ago.
    func refreshSoon() {
        let since = DispatchTime.now().uptimeNanoseconds &- lastRefresh
        if since >= RedisConnection.nanoseconds(Self.tick) { refresh() }
    }

    func nodeChanged(up: Bool) {
        if !up { refreshSoon() }
        updateState()
    }

    /// `CLUSTER SLOTS` on one node that answers: the map's primaries first, then the seeds.
    private func refresh() {
        guard !closed, !refreshInFlight else { return }
        lastRefresh = DispatchTime.now().uptimeNanoseconds
        guard let node = anyConnectedNode() else {
            // Nobody answers: make sure every seed is being tried (they reconnect on their own).
            for seed in seeds { _ = connection(to: seed) }
            return
        }
        refreshInFlight = true
        let asked = node.host
        node.send(Self.clusterSlots) { [self] result in
            refreshInFlight = false
            guard !closed else { return }
            switch result {
            case .success(let reply):
                if let fresh = ClusterSlotMap(slotsReply: reply, askedHost: asked) {
                    apply(fresh)
                } else {
                    logger?.warning("redis cluster: unreadable CLUSTER SLOTS reply", metadata: ["redis": "\(asked)"])
                }
            case .failure(let error):
                logger?.debug("redis cluster: CLUSTER SLOTS failed", metadata: ["reason": "\(error)"])
            }
        }
    }

    /// Takes a new map: connects to its new primaries, drops nodes that are neither primaries
    /// nor seeds (a demoted primary that came back as a replica would only answer MOVED).
    private func apply(_ fresh: ClusterSlotMap) {
        guard fresh != map else { return updateState() }
        let changed = map.nodes != fresh.nodes || map.slotCounts != fresh.slotCounts
        map = fresh
        for address in fresh.nodes { _ = connection(to: address) }
        for (address, connection) in nodes where !fresh.nodes.contains(address) && !seeds.contains(address) {
            connection.close()
            nodes[address] = nil
        }
        if changed {
            let counts = fresh.slotCounts.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            logger?.info("redis cluster: slot map", metadata: ["primaries": "\(counts)"])
        }
        updateState()
    }

    /// Up when every slot has a primary and at least one primary answers. Not "every": while
    /// one primary fails over, every instance of the gateway sees the same gap, and a
    /// readiness check that took them all out of a load balancer would turn a partial outage
    /// (503 for that primary's slots only) into a full one.
    func updateState() {
        let up = map.coversEverySlot && map.nodes.contains { nodes[$0]?.isConnected == true }
        setConnected(up)
    }

    /// True while some slot's primary does not answer: the ticker then asks for the map often.
    var isDegraded: Bool { !map.coversEverySlot || map.nodes.contains { nodes[$0]?.isConnected != true } }

    private static let clusterSlots = [Array("CLUSTER".utf8), Array("SLOTS".utf8)]
}
