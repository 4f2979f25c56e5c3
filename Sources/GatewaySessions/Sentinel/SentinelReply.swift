// The two Sentinel answers the gateway reads, as pure functions over reply values and bytes.

enum SentinelReply {
    /// `SENTINEL get-master-addr-by-name`: `[ip, port]`, or nil (null: the sentinel does not
    /// monitor that name; anything else is not an address).
    static func masterAddress(_ value: RedisValue) -> RedisAddress? {
        guard case .array(let parts) = value, parts.count == 2, let host = parts[0].text, !host.isEmpty,
            let portText = parts[1].text, let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return RedisAddress(host: host, port: port)
    }

    /// A `+switch-master` message: `<master name> <old ip> <old port> <new ip> <new port>`.
    struct SwitchMaster: Equatable {
        var master: String
        var from: RedisAddress
        var to: RedisAddress
    }

    /// Nil unless the payload is exactly five space-separated fields with valid ports.
    static func switchMaster(_ payload: [UInt8]) -> SwitchMaster? {
        let fields = payload.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard fields.count == 5, !fields[0].isEmpty, !fields[1].isEmpty, !fields[3].isEmpty,
            let oldPort = port(fields[2]), let newPort = port(fields[4])
        else { return nil }
        return SwitchMaster(
            master: fields[0], from: RedisAddress(host: fields[1], port: oldPort),
            to: RedisAddress(host: fields[3], port: newPort))
    }

    private static func port(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), (1...65535).contains(value)
        else { return nil }
        return value
    }
}
