// The default of every directive, as named constants (see GatewayConfiguration for the directives).

public enum ConfigDefaults {
    /// Used when the file has no `listen`.
    public static let listener = ListenerConfig(host: "0.0.0.0", port: 8080)
    public static let authPrefix = "/auth"
    public static let maxConnections = 10_000
    public static let maxHeaderSize = 16 * 1024
    public static let clientHeaderTimeout = Duration.seconds(10)
    public static let clientBodyTimeout = Duration.seconds(60)
    public static let keepaliveTimeout = Duration.seconds(75)
    public static let sendTimeout = Duration.seconds(60)
    public static let shutdownTimeout = Duration.seconds(10)
    public static let healthCheckInterval = Duration.seconds(5)
    public static let tunnelIdleTimeout = Duration.seconds(3600)
    public static let accessLog = LogTarget.stdout
    public static let errorLog = LogTarget.stderr
    public static let errorLogLevel = LogLevel.info

    public static let upstreamKeepalive = 32
    public static let upstreamConnectTimeout = Duration.seconds(2)
    public static let upstreamReadTimeout = Duration.seconds(60)
    public static let upstreamSendTimeout = Duration.seconds(60)

    /// Mozilla's "intermediate" TLS 1.2 suites: ECDHE key exchange and an AEAD cipher only.
    public static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ]
    /// Every TLS 1.3 suite OpenSSL enables by default (all are AEAD), in Mozilla's order.
    public static let tls13CipherSuites = [
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    ]
    /// `hsts` when `public_url` is https: one year.
    public static let hstsMaxAge = 365 * 24 * 3600

    public static let cookieName = "__gateway"
    public static let minimumCookieSecretBytes = 32
    public static let sessionLifetime = Duration.seconds(12 * 3600)
    public static let sessionIdleTimeout = Duration.seconds(2 * 3600)
    /// `session { cache 5s; }`: how long a loop serves a session it read from Redis.
    public static let sessionCacheTTL = Duration.seconds(5)
    /// The longest `cache` accepted: a revoked session is evicted at once through pub/sub, and
    /// this bounds what an instance that missed the message could still serve.
    public static let maximumSessionCacheTTL = Duration.seconds(60)
    public static let redisPort = 6379
    /// `session { store_timeout 2s; }`: how long a Redis command may wait for its reply.
    public static let storeTimeout = Duration.seconds(2)
    /// The accepted range: below 10ms a busy but healthy Redis would fail requests, and past
    /// 30s a stalled one would hold them longer than any client waits.
    public static let storeTimeoutRange = Duration.milliseconds(10)...Duration.seconds(30)

    public static let session = SessionConfig(
        store: .memory, cookieName: cookieName, cookieSecret: nil, lifetime: sessionLifetime,
        idleTimeout: sessionIdleTimeout)

    /// `workers` when unset: the number of online cores, at least 1.
    public static var workers: Int { SystemInfo.onlineProcessorCount }
}
