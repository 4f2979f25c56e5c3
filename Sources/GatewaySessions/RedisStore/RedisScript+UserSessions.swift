// The per-user session index: listing a user's sessions and ending some of them by id.
//
// `{p}user_sessions:{uid}` holds the ids of every session saved for that user (the save
// script adds to it, with the same lifetime rule as the identity index). Ids of sessions that
// ended on their own are pruned when the set is read. A delete by id checks the session's own
// JSON names the user, so an id of someone else's session deletes nothing.

extension RedisScript {
    /// ARGV: prefix, user id. Returns id, JSON, id, JSON, ... for the sessions still there.
    static let userSessionsBody = """
        local index = p .. 'user_sessions:' .. ARGV[2]
        local out = {}
        for _, id in ipairs(redis.call('SMEMBERS', index)) do
          local json = redis.call('GET', p .. 'session:' .. id)
          if json then
            out[#out + 1] = id
            out[#out + 1] = json
          else
            redis.call('SREM', index, id)
          end
        end
        return out

        """

    /// ARGV: prefix, user id, session ids... Returns how many sessions were deleted.
    static let deleteUserSessionsBody = """
        local uid = ARGV[2]
        local index = p .. 'user_sessions:' .. uid
        local n = 0
        for i = 3, #ARGV do
          local key = p .. 'session:' .. ARGV[i]
          local json = redis.call('GET', key)
          if json then
            local ok, record = pcall(cjson.decode, json)
            if ok and type(record) == 'table' and record.userID == uid then
              n = n + redis.call('DEL', key)
              redis.call('SREM', index, ARGV[i])
              redis.call('PUBLISH', p .. 'session_events', ARGV[i])
            end
          else
            redis.call('SREM', index, ARGV[i])
          end
        end
        return n

        """
}
