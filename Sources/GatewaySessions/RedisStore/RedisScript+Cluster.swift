// The session scripts as single-slot steps, for Redis Cluster: sessions spread over every
// slot, while their indexes are in the identity graph's slot (`{users}`), so no one script
// can hold both. Each step here touches one slot; RedisStore+Cluster.swift strings them.

extension RedisScript {
    /// ARGV: graph prefix, session id, owner, index TTL, user id, "provider:sid" or "".
    /// The index half of `saveSession`: the store writes the session itself afterwards.
    static let indexSessionBody = """
        local id = ARGV[2]
        local life = tonumber(ARGV[4])
        local function index(key)
          redis.call('SADD', key, id)
          if redis.call('TTL', key) < life then redis.call('EXPIRE', key, life) end
        end
        index(p .. 'identity_sessions:' .. ARGV[3])
        index(p .. 'user_sessions:' .. ARGV[5])
        if ARGV[6] ~= '' then index(p .. 'sid_sessions:' .. ARGV[6]) end
        return 1

        """

    /// ARGV: graph prefix, index. Empties the index and returns the ids it held.
    static let takeIndexBody = """
        local index = p .. ARGV[2]
        local ids = redis.call('SMEMBERS', index)
        redis.call('DEL', index)
        return ids

        """

    /// ARGV: graph prefix, index, then ids to drop from it first (sessions found gone).
    static let listIndexBody = """
        local index = p .. ARGV[2]
        for i = 3, #ARGV do redis.call('SREM', index, ARGV[i]) end
        return redis.call('SMEMBERS', index)

        """

    /// KEYS[1]: the session. ARGV: prefix, session id, user id. Deletes the session only when
    /// its own JSON names the user (as `deleteUserSessions` does), and announces it. 1 when
    /// deleted, 0 when it was gone already, -1 when it is another user's.
    static let deleteOwnedSessionBody = """
        local json = redis.call('GET', KEYS[1])
        if not json then return 0 end
        local ok, record = pcall(cjson.decode, json)
        if not ok or type(record) ~= 'table' or record.userID ~= ARGV[3] then return -1 end
        redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', p .. 'session_events', ARGV[2])
        return 1

        """
}
