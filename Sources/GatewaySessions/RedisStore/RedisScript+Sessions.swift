// The session scripts: a save that keeps the per-identity index, and the delete by identity.
//
// `{p}identity_sessions:{uid}:{provider}:{subject}` lists the ids of the sessions signed in
// with that identity, so unlinking it can end them. Ids of sessions that ended on their own
// stay in the set until it expires (deleting a missing key is harmless); the set lives at
// least as long as the longest of its sessions can. `{p}sid_sessions:{provider}:{sid}` does
// the same for the provider's session id (OIDC `sid`), for back-channel logout.

extension RedisScript {
    /// ARGV: prefix, session id, JSON, TTL seconds, owner ("uid:provider:subject"), index TTL,
    /// user id, and "provider:sid" or "". Every index (per identity, per user, per provider
    /// session) gets the id and outlives the session.
    static let saveSessionBody = """
        local id, owner = ARGV[2], ARGV[5]
        redis.call('SET', p .. 'session:' .. id, ARGV[3], 'EX', ARGV[4])
        local life = tonumber(ARGV[6])
        local function index(key)
          redis.call('SADD', key, id)
          if redis.call('TTL', key) < life then redis.call('EXPIRE', key, life) end
        end
        index(p .. 'identity_sessions:' .. owner)
        index(p .. 'user_sessions:' .. ARGV[7])
        if ARGV[8] ~= '' then index(p .. 'sid_sessions:' .. ARGV[8]) end
        return 1

        """

    /// ARGV: prefix, index ("identity_sessions:uid:provider:subject" or
    /// "sid_sessions:provider:sid"). Returns how many sessions were deleted.
    static let deleteSessionsBody = """
        local index = p .. ARGV[2]
        local n = 0
        for _, id in ipairs(redis.call('SMEMBERS', index)) do
          local gone = redis.call('DEL', p .. 'session:' .. id)
          if gone == 1 then redis.call('PUBLISH', p .. 'session_events', id) end
          n = n + gone
        end
        redis.call('DEL', index)
        return n

        """
}
