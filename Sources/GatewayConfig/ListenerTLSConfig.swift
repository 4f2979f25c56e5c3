// What a `listen ... tls` listener serves: its certificates and the protocol and cipher policy.

/// TLS on one listener. The validator resolves the top-level `ssl_protocols` / `ssl_ciphers`
/// overrides into every TLS listener, so this holds everything a TLS context is built from.
public struct ListenerTLSConfig: Sendable, Hashable {
    /// `cert=FILE key=FILE`, one or more; chosen by SNI from each certificate's names, and the
    /// first is served to clients whose name matches none (or who send none).
    public var certificates: [TLSFiles]
    /// `ssl_protocols TLSv1.2 TLSv1.3;` — never below TLS 1.2. Default: both.
    public var minimumVersion: TLSProtocolVersion
    public var maximumVersion: TLSProtocolVersion
    /// TLS 1.2 suites in the server's order of preference (OpenSSL names). Default: Mozilla's
    /// "intermediate" ECDHE AEAD suites (`ConfigDefaults.tls12Ciphers`).
    public var ciphers: [String]
    /// TLS 1.3 suites (`TLS_...` names). Default: `ConfigDefaults.tls13CipherSuites`.
    public var cipherSuites: [String]
    /// Where the `listen` was written, for messages raised when the files are loaded.
    public var location: SourceLocation

    public init(
        certificates: [TLSFiles], minimumVersion: TLSProtocolVersion = .tls12,
        maximumVersion: TLSProtocolVersion = .tls13, ciphers: [String] = ConfigDefaults.tls12Ciphers,
        cipherSuites: [String] = ConfigDefaults.tls13CipherSuites, location: SourceLocation
    ) {
        self.certificates = certificates
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.ciphers = ciphers
        self.cipherSuites = cipherSuites
        self.location = location
    }
}

/// The protocol versions the gateway can speak; there is deliberately nothing below TLS 1.2.
public enum TLSProtocolVersion: String, Sendable, Hashable, CaseIterable, Comparable {
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One `cert=FILE key=FILE` pair: a PEM certificate (the leaf first, then its chain) and its key.
public struct TLSFiles: Sendable, Hashable {
    public var certificatePath: String
    public var keyPath: String
    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
