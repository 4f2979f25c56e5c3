// The frozen, validated gateway configuration: what the rest of the gateway reads.

/// A validated configuration. Built only by `ConfigLoader`; immutable afterwards.
public struct GatewayConfiguration: Sendable {
    /// The file the configuration was loaded from (for messages).
    public var sourceFile: String
    /// `listen HOST:PORT [tls cert=FILE key=FILE ...];` — at least one; default `0.0.0.0:8080`.
    public var listeners: [ListenerConfig]
    /// `metrics_listen HOST:PORT;` — a listener of its own that answers only `GET /metrics`
    /// (Prometheus). Default: none, and `/metrics` is never served on a `listen` address.
    public var metricsListener: ListenerConfig?
    /// `public_url URL;` — callback URLs are built from it; decides the cookie's `Secure`.
    public var publicURL: PublicURL?
    /// `hsts max_age=SECONDS [include_subdomains];` / `hsts off;` — `Strict-Transport-Security`
    /// on responses. Default one year when `public_url` is https; nil when off or not https.
    public var hsts: HSTSConfig?
    /// `auto_redirect on|off;` — with exactly one provider, skip the sign-in page. Default off.
    public var autoRedirect: Bool
    /// `auth_prefix /auth;` — where the sign-in endpoints live. Default `/auth`.
    public var authPrefix: String
    /// `workers N;` — event loops. Default: the number of online cores.
    public var workers: Int
    /// `event_backend epoll|dispatch;` — how loops learn of ready sockets. Default epoll: an epoll
    /// set per loop, waited on by the loop's own thread. `dispatch`: a Dispatch source per socket.
    public var eventBackend: EventBackendKind = .epoll
    /// `trusted_proxies CIDR ...;` — peers whose `X-Forwarded-*`, `Forwarded` and `X-Real-IP`
    /// are believed (repeatable; the lists add up). Default: none.
    public var trustedProxies: [TrustedNetwork] = []
    /// `underscores_in_headers on|off;` — keep client fields whose name has `_`. Default off
    /// (dropped, as nginx does); aliases of identity headers are stripped either way.
    public var underscoresInHeaders = false
    /// `allow_encoded_slashes on|off;` — accept `%2F` and `%5C` in paths. Default off (400).
    public var allowEncodedSlashes = false
    /// `websocket_origins ORIGIN ...;` — origins besides `public_url`'s that may open a WebSocket
    /// on a protected location (repeatable). Default: none.
    public var websocketOrigins: [PublicURL] = []
    /// `verify_redirect on|off;` — `/auth/verify` answers a browser with 302 to the sign-in page
    /// instead of 401. Default off (`?rd=` asks for it per request).
    public var verifyRedirect = false
    /// `end_provider_session on|off;` — `POST {auth_prefix}/sign_out` also ends the session at
    /// an OIDC provider whose discovery lists `end_session_endpoint` (RP-Initiated Logout).
    /// Default off (`?provider=1` asks for it per request).
    public var endProviderSession = false
    /// `post_logout_redirect PATH;` — where the provider sends the browser back to after
    /// ending its session (`post_logout_redirect_uri`, under `public_url`). Default: the
    /// sign-in page with "You are signed out."
    public var postLogoutRedirect: String?
    /// `identity_assertion on|off;` — send `X-Auth-Assertion` (an ES256 JWT) with every
    /// authenticated request; locations may override it. Default off.
    public var identityAssertion = false
    /// `identity_assertion_key FILE;` — its P-256 key in PEM. Default: derived from `cookie_secret`.
    public var identityAssertionKeyFile: String?
    /// `tunnel_idle_timeout DURATION;` — a WebSocket tunnel with no bytes either way for this
    /// long is closed. Default 1h.
    public var tunnelIdleTimeout: Duration = ConfigDefaults.tunnelIdleTimeout
    /// `max_connections N;` — client connections open at once. Default 10_000.
    public var maxConnections: Int
    /// `max_header_size SIZE;` — a request head larger than this gets 431. Default 16 KiB.
    public var maxHeaderSize: Int
    /// `client_header_timeout DURATION;` — time to receive a whole request head (408). Default 10s.
    public var clientHeaderTimeout: Duration
    /// `client_body_timeout DURATION;` — longest pause between two reads of a request body. Default 60s.
    public var clientBodyTimeout: Duration
    /// `keepalive_timeout DURATION;` — idle client keep-alive connections are closed after it. Default 75s.
    public var keepaliveTimeout: Duration
    /// `send_timeout DURATION;` — longest pause while the client does not take bytes. Default 60s.
    public var sendTimeout: Duration
    /// `shutdown_timeout DURATION;` — grace period for in-flight requests on SIGTERM. Default 10s.
    public var shutdownTimeout: Duration
    /// `health_check_interval DURATION;` — how often /readyz probes upstreams. Default 5s.
    public var healthCheckInterval: Duration
    /// `access_log PATH|stdout|stderr|off;` — JSON lines, one per request. Default stdout.
    public var accessLog: LogTarget
    /// `error_log PATH|stdout|stderr [LEVEL];` — default stderr, level info.
    public var errorLog: LogTarget
    public var errorLogLevel: LogLevel
    /// `upstream NAME { ... }` blocks, in file order.
    public var upstreams: [UpstreamConfig]
    /// `session { ... }` — defaults when absent.
    public var session: SessionConfig
    /// `provider NAME { ... }` blocks, in file order (the sign-in page shows them in this order).
    public var providers: [ProviderConfig]
    /// `location PREFIX { ... }` blocks, in file order.
    public var locations: [LocationConfig]
    /// Valid but risky settings (`tls_verify off`, ...): `--check` prints them and start-up logs
    /// them. Not part of the configuration's meaning.
    public var warnings: [ConfigDiagnostic] = []

    public init(
        sourceFile: String, listeners: [ListenerConfig], publicURL: PublicURL?, autoRedirect: Bool,
        authPrefix: String, workers: Int, maxConnections: Int, maxHeaderSize: Int,
        clientHeaderTimeout: Duration, clientBodyTimeout: Duration, keepaliveTimeout: Duration,
        sendTimeout: Duration, shutdownTimeout: Duration, healthCheckInterval: Duration,
        accessLog: LogTarget, errorLog: LogTarget, errorLogLevel: LogLevel,
        upstreams: [UpstreamConfig], session: SessionConfig, providers: [ProviderConfig],
        locations: [LocationConfig]
    ) {
        self.sourceFile = sourceFile
        self.listeners = listeners
        self.publicURL = publicURL
        self.autoRedirect = autoRedirect
        self.authPrefix = authPrefix
        self.workers = workers
        self.maxConnections = maxConnections
        self.maxHeaderSize = maxHeaderSize
        self.clientHeaderTimeout = clientHeaderTimeout
        self.clientBodyTimeout = clientBodyTimeout
        self.keepaliveTimeout = keepaliveTimeout
        self.sendTimeout = sendTimeout
        self.shutdownTimeout = shutdownTimeout
        self.healthCheckInterval = healthCheckInterval
        self.accessLog = accessLog
        self.errorLog = errorLog
        self.errorLogLevel = errorLogLevel
        self.upstreams = upstreams
        self.session = session
        self.providers = providers
        self.locations = locations
    }

    public func upstream(named name: String) -> UpstreamConfig? {
        upstreams.first { $0.name == name }
    }
}

/// Where a config item was written, for messages raised after validation.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

public struct ListenerConfig: Sendable, Hashable {
    /// A numeric IPv4 or IPv6 address (`0.0.0.0`, `127.0.0.1`, `[::1]` is stored as `::1`) or `localhost`.
    public var host: String
    public var port: Int
    /// Present for `listen ... tls cert=FILE key=FILE [cert=FILE key=FILE ...]`.
    public var tls: ListenerTLSConfig?
    public init(host: String, port: Int, tls: ListenerTLSConfig? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

/// `public_url`: scheme, host and optional port; no path, query or fragment.
public struct PublicURL: Sendable, Hashable, CustomStringConvertible {
    public var isHTTPS: Bool
    /// Lowercased; an IPv6 address keeps its brackets.
    public var host: String
    public var port: Int?
    /// The port a browser uses: the written one, else 443 or 80.
    public var effectivePort: Int { port ?? (isHTTPS ? 443 : 80) }
    public init(isHTTPS: Bool, host: String, port: Int?) {
        self.isHTTPS = isHTTPS
        self.host = host
        self.port = port
    }
    public var description: String {
        (isHTTPS ? "https://" : "http://") + host + (port.map { ":\($0)" } ?? "")
    }
}

public enum EventBackendKind: String, Sendable, Hashable, CaseIterable {
    case epoll, dispatch
}

public enum LogTarget: Sendable, Hashable {
    case off
    case stdout
    case stderr
    case file(String)
}

public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case debug, info, notice, warning, error
}

public struct UpstreamConfig: Sendable, Hashable {
    public var name: String
    /// `server [https://]HOST:PORT;` — at least one.
    public var servers: [UpstreamServer]
    /// `keepalive N;` — idle connections kept per event loop. Default 32; 0 disables pooling.
    public var keepalive: Int
    /// `connect_timeout DURATION;` — default 2s; a timeout answers 504.
    public var connectTimeout: Duration
    /// `read_timeout DURATION;` — longest wait for upstream bytes; default 60s; 504 before the head.
    public var readTimeout: Duration
    /// `send_timeout DURATION;` — longest wait for the upstream to take bytes; default 60s.
    public var sendTimeout: Duration
    /// `ca_file` and `tls_verify`, for the `https://` servers.
    public var tls: UpstreamTLSConfig
    public var location: SourceLocation
    public init(
        name: String, servers: [UpstreamServer], keepalive: Int, connectTimeout: Duration,
        readTimeout: Duration, sendTimeout: Duration, tls: UpstreamTLSConfig = UpstreamTLSConfig(),
        location: SourceLocation
    ) {
        self.tls = tls
        self.name = name
        self.servers = servers
        self.keepalive = keepalive
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.sendTimeout = sendTimeout
        self.location = location
    }
}

public struct UpstreamServer: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// `server https://HOST:PORT;` — TLS towards this server, checked per the upstream's `tls`.
    public var isTLS: Bool
    public init(host: String, port: Int, isTLS: Bool = false) {
        self.host = host
        self.port = port
        self.isTLS = isTLS
    }
    /// `host:port` (the authority, also the Host fallback), without the scheme.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct SessionConfig: Sendable, Hashable {
    public var store: SessionStoreConfig
    /// `cookie_name NAME;` — default `__gateway`.
    public var cookieName: String
    /// `cookie_secret SECRET;` — at least 32 bytes; required once any location needs auth.
    public var cookieSecret: String?
    /// `lifetime DURATION;` — default 12h.
    public var lifetime: Duration
    /// `idle_timeout DURATION;` — default 2h.
    public var idleTimeout: Duration
    /// `cache DURATION|off;` — each loop keeps sessions it read from Redis this long (evicted
    /// on every instance through Redis pub/sub when one ends); nil: off. Default 5s. Redis only.
    public var cacheTTL: Duration? = ConfigDefaults.sessionCacheTTL
    /// `store_timeout DURATION;` — a Redis command with no reply after this long fails (the
    /// request gets 503) and its connection is replaced. Default 2s. Redis only.
    public var storeTimeout: Duration = ConfigDefaults.storeTimeout
    public init(
        store: SessionStoreConfig, cookieName: String, cookieSecret: String?, lifetime: Duration,
        idleTimeout: Duration
    ) {
        self.store = store
        self.cookieName = cookieName
        self.cookieSecret = cookieSecret
        self.lifetime = lifetime
        self.idleTimeout = idleTimeout
    }
}

public enum SessionStoreConfig: Sendable, Hashable {
    case memory
    /// `redis://[:password@]host:port[/db]`
    case redis(host: String, port: Int, database: Int, password: String?)
    /// `redis-sentinel://[:password@]host:port,host:port,.../master[/db]`
    case redisSentinel(SentinelStoreConfig)
    /// `redis-cluster://[:password@]host:port,host:port,.../`: the seeds of a Redis Cluster.
    case redisCluster(nodes: [RedisNodeAddress], password: String?)
}
