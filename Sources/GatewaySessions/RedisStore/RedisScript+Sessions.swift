// The session scripts: a save that keeps the per-identity index, and the delete by identity.
//
// `{p}identity_sessions:{uid}:{provider}:{subject}` lists the ids of the sessions signed in
// with that identity, so unlinking it can end them. Ids of sessions that ended on their own
// stay in the set until it expires (deleting a missing key is harmless); the set lives at
// least as long as the longest of its sessions can.

extension RedisScript {
    /// ARGV: prefix, session id, JSON, TTL seconds, owner ("uid:provider:subject"), index TTL,
    /// user id. Both indexes (per identity, per user) get the id and outlive the session.
    static let saveSessionBody = """
        local id, owner = ARGV[2], ARGV[5]
        redis.call('SET', p .. 'session:' .. id, ARGV[3], 'EX', ARGV[4])
        local life = tonumber(ARGV[6])
        for _, index in ipairs({p .. 'identity_sessions:' .. owner, p .. 'user_sessions:' .. ARGV[7]}) do
          redis.call('SADD', index, id)
          if redis.call('TTL', index) < life then redis.call('EXPIRE', index, life) end
        end
        return 1

        """

    /// ARGV: prefix, owner ("uid:provider:subject"). Returns how many sessions were deleted.
    static let deleteSessionsBody = """
        local index = p .. 'identity_sessions:' .. ARGV[2]
        local n = 0
        for _, id in ipairs(redis.call('SMEMBERS', index)) do
          n = n + redis.call('DEL', p .. 'session:' .. id)
        end
        redis.call('DEL', index)
        return n

        """
}
