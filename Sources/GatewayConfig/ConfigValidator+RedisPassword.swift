// The `:PASSWORD@` part that every Redis store URL (redis://, redis-sentinel://, redis-cluster://)
// may start with, taken off in one place.

extension ConfigValidator {
    /// Takes `[:PASSWORD@]` off the front of `rest` (the URL after its scheme). The password is
    /// everything between the `:` and the last `@`, as written (no percent-decoding); an empty
    /// one is none. Nil, with the error said, when the part before `@` is a user name; `example`
    /// shows the accepted form (say `redis://:PASSWORD@host`).
    mutating func takeRedisPassword(
        _ rest: inout Substring, example: String, _ arg: ConfigArgument
    ) -> (password: String?, valid: Bool) {
        guard let at = rest.lastIndex(of: "@") else { return (nil, true) }
        let userInfo = rest[..<at]
        guard userInfo.hasPrefix(":") else {
            error(arg.location, "session", "\"store\" supports only a password (\"\(example)\"), not a user name")
            return (nil, false)
        }
        rest = rest[rest.index(after: at)...]
        return (userInfo.count > 1 ? String(userInfo.dropFirst()) : nil, true)
    }
}
