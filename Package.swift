// swift-tools-version:6.0
// The authentication gateway: one executable, `gateway`, built from small modules with one job each.
import PackageDescription

let package = Package(
    name: "AuthGateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gateway", targets: ["gateway"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries: a module map and a header each, nothing else.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]),
        // Typed wrappers for what Swift cannot call, one target per concern: libc macros and
        // epoll for the core, OpenSSL (HMAC, JOSE keys) for crypto, variadic setters for libcurl,
        // OpenSSL's TLS macros and the session-ticket keys for TLS.
        .target(name: "CCoreShims"),
        .target(name: "CCryptoShims", dependencies: ["COpenSSL"]),
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "CTLSShims", dependencies: ["COpenSSL"]),

        .target(name: "GatewayHTTP"),
        .target(name: "GatewayConfig"),
        .target(name: "GatewayJSON"),
        .target(
            name: "GatewayCore",
            dependencies: [
                "CCoreShims",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // One JSON object per log line: swift-log's handler over Core's LogSink.
        .target(
            name: "GatewayLogging",
            dependencies: ["GatewayCore", "GatewayJSON", .product(name: "Logging", package: "swift-log")]),
        // Prometheus metrics: per-loop recorders flushed into swift-prometheus's registry.
        .target(
            name: "GatewayMetrics",
            dependencies: [
                "GatewayCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]),
        .target(name: "GatewayCrypto", dependencies: ["COpenSSL", "CCryptoShims"]),
        // TLS on OpenSSL over a caller's non-blocking socket: contexts, streams, the plaintext probe.
        .target(name: "GatewayTLS", dependencies: ["COpenSSL", "CTLSShims", "GatewayConfig"]),
        .target(name: "GatewayOutbound", dependencies: ["GatewayCore", "GatewayHTTP", "CCurl", "CCurlShims"]),
        .target(
            name: "GatewayAuth",
            dependencies: [
                "GatewayCrypto", "CCryptoShims", "COpenSSL", "GatewayOutbound", "GatewayHTTP", "GatewayConfig",
                "GatewayJSON",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "GatewaySessions",
            dependencies: [
                "GatewayCrypto", "GatewayCore", "GatewayJSON", "CHiredis",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "GatewayProxy",
            dependencies: [
                "GatewayCore", "GatewayHTTP", "GatewayConfig", "GatewayJSON", "GatewayTLS", "GatewayMetrics",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Sign-in meets the proxy only through GatewayProxy's LocalEndpoint and AccessGate.
        .target(
            name: "GatewaySignIn",
            dependencies: [
                "GatewayProxy", "GatewayAuth", "GatewaySessions", "GatewayCrypto", "GatewayConfig", "GatewayHTTP",
                "GatewayCore", "GatewayJSON",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "gateway",
            dependencies: [
                "GatewayProxy", "GatewaySignIn", "GatewayAuth", "GatewayOutbound", "GatewaySessions", "GatewayConfig",
                "GatewayCore", "GatewayLogging", "GatewayMetrics",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // What the test targets share: `FixtureProcess` (the one launcher), `waitUntil`, `TestPython`.
        .target(name: "GatewayTestSupport", dependencies: ["GatewayHTTP"], path: "Tests/GatewayTestSupport"),
        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore"]),
        .testTarget(name: "GatewayHTTPTests", dependencies: ["GatewayHTTP"]),
        .testTarget(name: "GatewayConfigTests", dependencies: ["GatewayConfig"]),
        .testTarget(name: "GatewayCryptoTests", dependencies: ["GatewayCrypto"]),
        // Certificates made with the openssl command; openssl s_client and curl on 127.0.0.1.
        .testTarget(name: "GatewayTLSTests", dependencies: ["GatewayTLS", "GatewayConfig"]),
        .testTarget(
            name: "GatewayAuthTests",
            dependencies: [
                "GatewayAuth", "GatewayOutbound", "GatewayCore", "GatewayHTTP", "GatewayCrypto", "CCryptoShims",
                "COpenSSL", "GatewayTestSupport",
            ]),
        .testTarget(
            name: "GatewayOutboundTests", dependencies: ["GatewayOutbound", "GatewayCore", "GatewayTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "GatewayJSONTests", dependencies: ["GatewayJSON"]),
        .testTarget(name: "GatewayMetricsTests", dependencies: ["GatewayMetrics", "GatewayCore"]),
        .testTarget(
            name: "GatewaySessionsTests",
            dependencies: [
                "GatewaySessions", "GatewayCore", "GatewayTestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "GatewayProxyTests",
            dependencies: [
                "GatewayProxy", "GatewayConfig", "GatewayHTTP", "GatewayCore", "GatewayLogging", "GatewayTestSupport",
            ]),
        .testTarget(
            name: "GatewaySignInTests",
            dependencies: [
                "GatewaySignIn", "GatewayProxy", "GatewayConfig", "GatewayHTTP", "GatewayCore", "GatewaySessions",
                "GatewayAuth", "GatewayTestSupport",
            ]),
        // Runs the real `gateway` binary on loopback; fixtures are found through #filePath.
        .testTarget(
            name: "GatewayIntegrationTests", dependencies: ["GatewayHTTP", "GatewayTestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// Release builds of the gateway's own modules (what `deploy/bench`, `deploy/demo`, the container
// and the systemd unit run):
// - No dynamic exclusivity checks. The compiler's static checks still run. The dynamic ones
//   cost 61 `swift_beginAccess` calls per proxied request (a thread-local access set each), about
//   5% of the CPU per request. Debug builds keep them, and every test and fuzz target runs in one.
// - The Swift runtime linked statically: `swift_retain`/`swift_release` are called directly
//   instead of through the PLT, about 3% of the CPU per request, and idle RSS drops by a MiB.
//   The binary then needs no Swift toolchain on the host, only the C libraries.
for target in package.targets where [.regular, .executable].contains(target.type) && !target.name.hasPrefix("C") {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
    ]
}
for target in package.targets where target.type == .executable {
    target.linkerSettings = (target.linkerSettings ?? []) + [
        .unsafeFlags(["-static-stdlib"], .when(configuration: .release))
    ]
}
