// An HMAC key prepared once on OpenSSL's EVP_MAC: the one HMAC (SHA-1 and SHA-256) in the gateway.
import CCryptoShims

/// The keyed EVP_MAC template, freed with the object.
///
/// Thread-safety: the template is only read (duplicated) per MAC, so one instance may be shared.
public final class HMACKey: @unchecked Sendable {
    public enum Algorithm: Sendable {
        /// Only where a protocol demands it (OAuth 1.0a's HMAC-SHA1).
        case sha1
        case sha256

        /// The MAC's length in bytes.
        public var size: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            }
        }

        fileprivate var digestName: String {
            switch self {
            case .sha1: "SHA1"
            case .sha256: "SHA256"
            }
        }
    }

    public let algorithm: Algorithm
    private let handle: OpaquePointer

    public init(_ key: [UInt8], algorithm: Algorithm = .sha256) {
        let handle = key.withUnsafeBufferPointer { k in
            gw_hmac_key_new(algorithm.digestName, k.baseAddress, k.count)
        }
        guard let handle else { preconditionFailure("OpenSSL cannot provide HMAC-\(algorithm.digestName)") }
        self.algorithm = algorithm
        self.handle = handle
    }

    deinit { gw_hmac_key_free(handle) }

    /// The HMAC of `message` under this key.
    public func mac(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.size)
        let length = message.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { gw_hmac(handle, m.baseAddress, m.count, $0.baseAddress, $0.count) }
        }
        precondition(length == algorithm.size, "HMAC-\(algorithm.digestName) failed in OpenSSL")
        return out
    }
}
