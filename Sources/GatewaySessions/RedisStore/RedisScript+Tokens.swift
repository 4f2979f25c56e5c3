// The token refresh scripts: lease renewal and release by owner, and the guarded session write.
//
// `{p}session_refresh:{id}` holds the owner of a session's refresh lease, with a PX TTL; it is
// taken with `SET NX PX` (RedisStore+ProviderTokens.swift).

extension RedisScript {
    /// ARGV: prefix, session id, owner, milliseconds. 1 when the owner still held it.
    static let renewLeaseBody = """
        local key = p .. 'session_refresh:' .. ARGV[2]
        if redis.call('GET', key) == ARGV[3] then return redis.call('PEXPIRE', key, ARGV[4]) end
        return 0

        """

    /// ARGV: prefix, session id, owner. Deletes the lease only for its owner.
    static let releaseLeaseBody = """
        local key = p .. 'session_refresh:' .. ARGV[2]
        if redis.call('GET', key) == ARGV[3] then return redis.call('DEL', key) end
        return 0

        """

    /// ARGV: prefix, session id, expected sealed tokens ("" for none), JSON, TTL seconds.
    /// Writes only over a session that still holds the expected tokens.
    static let updateIfTokensBody = """
        local key = p .. 'session:' .. ARGV[2]
        local current = redis.call('GET', key)
        if not current then return 0 end
        local ok, record = pcall(cjson.decode, current)
        if not ok or type(record) ~= 'table' then return 0 end
        local tokens = record['sealedTokens']
        if type(tokens) ~= 'string' then tokens = '' end
        if tokens ~= ARGV[3] then return 0 end
        redis.call('SET', key, ARGV[4], 'XX', 'EX', ARGV[5])
        return 1

        """
}
