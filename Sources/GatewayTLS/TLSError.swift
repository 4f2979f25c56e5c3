// Why a TLS context or stream could not be made: names the file and OpenSSL's reason, never key bytes.
import COpenSSL

/// A TLS set-up failure: a certificate, key or CA file that cannot be used, or settings OpenSSL
/// refused. `description` is one line meant for an operator (and the reload log).
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. A struct over a private enum, so kinds can be added without breaking callers.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unreadableFile, invalidCertificate, expiredCertificate, invalidKey, keyMismatch, invalidSettings
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file does not exist, is a directory, or may not be read.
        public static let unreadableFile = Kind(.unreadableFile)
        /// The certificate (or CA) file holds no PEM certificate OpenSSL can use.
        public static let invalidCertificate = Kind(.invalidCertificate)
        /// The leaf certificate's notAfter has passed.
        public static let expiredCertificate = Kind(.expiredCertificate)
        /// The key file holds no unencrypted PEM private key.
        public static let invalidKey = Kind(.invalidKey)
        /// The key is not the certificate's.
        public static let keyMismatch = Kind(.keyMismatch)
        /// OpenSSL refused a protocol range, cipher list or ALPN list, or could not allocate.
        public static let invalidSettings = Kind(.invalidSettings)

        public var description: String {
            switch base {
            case .unreadableFile: "unreadable file"
            case .invalidCertificate: "invalid certificate"
            case .expiredCertificate: "expired certificate"
            case .invalidKey: "invalid key"
            case .keyMismatch: "key does not match certificate"
            case .invalidSettings: "invalid TLS settings"
            }
        }
    }

    public let kind: Kind
    /// The file the problem is about, when there is one.
    public let path: String?
    public let description: String

    init(_ kind: Kind, path: String? = nil, _ description: String) {
        self.kind = kind
        self.path = path
        self.description = description
    }

    /// The reasons on this thread's OpenSSL error queue, oldest first, joined by "; "; empties
    /// the queue. OpenSSL's reason strings are fixed text: they never hold key material.
    static func drainOpenSSLReasons() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                reasons.append("error \(code)")
            }
        }
        return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
    }
}
