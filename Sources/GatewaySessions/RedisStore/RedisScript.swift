// The Lua scripts that make sign-in, link and unlink atomic in Redis.
//
// Keys (`p` is the store's key prefix, "" by default):
//   {p}user:{id}                          hash: email (verified only), name, created_at
//   {p}user:{id}:identities               set of "provider:subject"
//   {p}identity:{provider}:{subject}      string: user id
//   {p}identity_info:{provider}:{subject} hash: login, email, email_verified ("1"/"0"), linked_at
//   {p}email:{lowercased verified email}  string: user id
//   {p}session:{id}                       string: the session's JSON, with a TTL
//   {p}identity_sessions:{uid}:{provider}:{subject}  set of session ids signed in with that
//                                         identity (the last field may hold ':'; user ids and
//                                         provider names never do), see RedisScript+Sessions
//   {p}user_sessions:{uid}                set of the user's session ids, see RedisScript+UserSessions
//   {p}sid_sessions:{provider}:{sid}      set of session ids saved with that provider session id
//                                         (OIDC `sid`), for back-channel logout, see RedisScript+Sessions
//   {p}once:{key}                         "1" with a TTL: a logout token's jti, taken once (claimOnce)
// `identity_info:` is a separate prefix (not `identity:...:info`) because subjects may contain
// ':', so no subject can make one key collide with the other.
//
// The scripts compute key names from ARGV. Each declares in KEYS the key that names its slot,
// and on a cluster every other key it touches shares that slot: the identity scripts' keys all
// carry the `{users}` hash tag there (ARGV[1] is then `{p}{users}`), and the session scripts
// that mix sessions with indexes are split (RedisScript+Cluster.swift).
// Replies: {kind, uid, email, name, created_at, then per identity: name, login, email,
// verified, linked_at}, with "" for absent values; or {"notfound", why}; or {"conflict", why}.

enum RedisScript: Hashable, Sendable, CaseIterable {
    case signIn, link, unlink, user, userByIdentity
    case saveSession, deleteSessions, userSessions, deleteUserSessions
    case renewLease, releaseLease, updateIfTokens
    /// Cluster only: the session scripts split into single-slot steps (RedisScript+Cluster).
    case indexSession, takeIndex, listIndex, deleteOwnedSession

    var source: String {
        switch self {
        case .saveSession: return "local p = ARGV[1]\n" + Self.saveSessionBody
        case .deleteSessions: return "local p = ARGV[1]\n" + Self.deleteSessionsBody
        case .renewLease: return "local p = ARGV[1]\n" + Self.renewLeaseBody
        case .releaseLease: return "local p = ARGV[1]\n" + Self.releaseLeaseBody
        case .updateIfTokens: return "local p = ARGV[1]\n" + Self.updateIfTokensBody
        case .userSessions: return "local p = ARGV[1]\n" + Self.userSessionsBody
        case .deleteUserSessions: return "local p = ARGV[1]\n" + Self.deleteUserSessionsBody
        case .indexSession: return "local p = ARGV[1]\n" + Self.indexSessionBody
        case .takeIndex: return "local p = ARGV[1]\n" + Self.takeIndexBody
        case .listIndex: return "local p = ARGV[1]\n" + Self.listIndexBody
        case .deleteOwnedSession: return "local p = ARGV[1]\n" + Self.deleteOwnedSessionBody
        case .signIn: return Self.prelude + Self.signInBody
        case .link: return Self.prelude + Self.linkBody
        case .unlink: return Self.prelude + Self.unlinkBody
        case .user: return Self.prelude + "return reply('ok', ARGV[2])\n"
        case .userByIdentity:
            return Self.prelude
                + "local uid = redis.call('GET', p .. 'identity:' .. ARGV[2])\n"
                + "if not user_exists(uid) then return {'notfound', 'no such identity'} end\n"
                + "return reply('ok', uid)\n"
        }
    }

    private static let prelude = """
        local p = ARGV[1]
        local function put(key, field, value)
          if value == '' then redis.call('HDEL', key, field) else redis.call('HSET', key, field, value) end
        end
        local function user_exists(uid)
          return uid and redis.call('EXISTS', p .. 'user:' .. uid) == 1
        end
        -- Links ident to uid, or refreshes its details when it already is (keeping linked_at).
        local function attach(ident, uid, login, email, verified, now)
          local ikey = p .. 'identity:' .. ident
          local info = p .. 'identity_info:' .. ident
          local old = redis.call('GET', ikey)
          if old ~= uid then
            if old then redis.call('SREM', p .. 'user:' .. old .. ':identities', ident) end
            redis.call('SET', ikey, uid)
            redis.call('HSET', info, 'linked_at', now)
          elseif redis.call('HEXISTS', info, 'linked_at') == 0 then
            redis.call('HSET', info, 'linked_at', now)
          end
          redis.call('SADD', p .. 'user:' .. uid .. ':identities', ident)
          put(info, 'login', login)
          put(info, 'email', email)
          redis.call('HSET', info, 'email_verified', verified)
        end
        local function reply(kind, uid)
          local u = redis.call('HMGET', p .. 'user:' .. uid, 'email', 'name', 'created_at')
          if not u[3] then return {'notfound', 'no such user'} end
          local out = {kind, uid, u[1] or '', u[2] or '', u[3]}
          for _, ident in ipairs(redis.call('SMEMBERS', p .. 'user:' .. uid .. ':identities')) do
            local i = redis.call('HMGET', p .. 'identity_info:' .. ident, 'login', 'email', 'email_verified', 'linked_at')
            out[#out + 1] = ident
            out[#out + 1] = i[1] or ''
            out[#out + 1] = i[2] or ''
            out[#out + 1] = i[3] or '0'
            out[#out + 1] = i[4] or '0'
          end
          return out
        end

        """

    /// ARGV: prefix, identity, verified email key or "", login, email, verified, name, now, new id.
    private static let signInBody = """
        local ident, ekey, now = ARGV[2], ARGV[3], ARGV[8]
        local owner = redis.call('GET', p .. 'identity:' .. ident)
        if user_exists(owner) then
          attach(ident, owner, ARGV[4], ARGV[5], ARGV[6], now)
          return reply('existing', owner)
        end
        if ekey ~= '' then
          owner = redis.call('GET', p .. 'email:' .. ekey)
          if user_exists(owner) then
            attach(ident, owner, ARGV[4], ARGV[5], ARGV[6], now)
            return reply('linked', owner)
          end
        end
        local uid = ARGV[9]
        local ukey = p .. 'user:' .. uid
        redis.call('HSET', ukey, 'created_at', now)
        put(ukey, 'name', ARGV[7])
        if ekey ~= '' then
          redis.call('HSET', ukey, 'email', ARGV[5])
          redis.call('SET', p .. 'email:' .. ekey, uid)
        end
        attach(ident, uid, ARGV[4], ARGV[5], ARGV[6], now)
        return reply('created', uid)

        """

    /// ARGV: prefix, identity, verified email key or "", login, email, verified, now, user id.
    private static let linkBody = """
        local ident, ekey, uid = ARGV[2], ARGV[3], ARGV[8]
        if not user_exists(uid) then return {'notfound', 'no such user'} end
        local owner = redis.call('GET', p .. 'identity:' .. ident)
        if owner and owner ~= uid and user_exists(owner) then
          return {'conflict', 'identity ' .. ident .. ' is linked to another user'}
        end
        attach(ident, uid, ARGV[4], ARGV[5], ARGV[6], ARGV[7])
        if ekey ~= '' then
          local ename = p .. 'email:' .. ekey
          if not user_exists(redis.call('GET', ename)) then redis.call('SET', ename, uid) end
          if redis.call('GET', ename) == uid and redis.call('HEXISTS', p .. 'user:' .. uid, 'email') == 0 then
            redis.call('HSET', p .. 'user:' .. uid, 'email', ARGV[5])
          end
        end
        return reply('ok', uid)

        """

    /// ARGV: prefix, identity, user id.
    private static let unlinkBody = """
        local ident, uid = ARGV[2], ARGV[3]
        local set = p .. 'user:' .. uid .. ':identities'
        if not user_exists(uid) or redis.call('GET', p .. 'identity:' .. ident) ~= uid then
          return {'notfound', 'the user has no identity ' .. ident}
        end
        if redis.call('SCARD', set) <= 1 then
          return {'conflict', 'cannot remove the last identity of a user'}
        end
        redis.call('DEL', p .. 'identity:' .. ident, p .. 'identity_info:' .. ident)
        redis.call('SREM', set, ident)
        return reply('ok', uid)

        """
}
