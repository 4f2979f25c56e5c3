// Why a JWS or an ID token was refused: one value per rule, comparable in tests.

/// A rejected token or key. Descriptions name the rule that failed and never contain the token.
public struct JWTError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case malformed(String)
        case invalidKey(String)
        case algorithmNotAllowed(String)
        case unknownKeyID(String?)
        case keyAlgorithmMismatch
        case invalidSignature
        case missingClaim(String)
        case issuerMismatch
        case audienceMismatch
        case authorizedPartyMismatch
        case expired
        case issuedInFuture
        case notYetValid
        case nonceMismatch
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// The compact serialization or its JSON is broken; `reason` is a fixed phrase of ours.
    public static func malformed(_ reason: String) -> JWTError { JWTError(.malformed(reason)) }
    /// A JWK that cannot be used: unsupported type or curve, weak or invalid parameters.
    public static func invalidKey(_ reason: String) -> JWTError { JWTError(.invalidKey(reason)) }
    /// `alg` outside the allow-list (RS256, ES256): `none`, HS256, PS256, ...
    public static func algorithmNotAllowed(_ alg: String) -> JWTError { JWTError(.algorithmNotAllowed(alg)) }
    /// No key in the JWKS has this `kid` (or, without a `kid`, none fits the algorithm).
    public static func unknownKeyID(_ kid: String?) -> JWTError { JWTError(.unknownKeyID(kid)) }
    /// The selected key's type (or its own `alg`) does not match the token's `alg`.
    public static let keyAlgorithmMismatch = JWTError(.keyAlgorithmMismatch)
    public static let invalidSignature = JWTError(.invalidSignature)
    public static func missingClaim(_ name: String) -> JWTError { JWTError(.missingClaim(name)) }
    public static let issuerMismatch = JWTError(.issuerMismatch)
    /// `aud` does not contain the client id.
    public static let audienceMismatch = JWTError(.audienceMismatch)
    /// Several audiences (or any `azp`) and `azp` is not the client id.
    public static let authorizedPartyMismatch = JWTError(.authorizedPartyMismatch)
    public static let expired = JWTError(.expired)
    public static let issuedInFuture = JWTError(.issuedInFuture)
    public static let notYetValid = JWTError(.notYetValid)
    public static let nonceMismatch = JWTError(.nonceMismatch)

    public var description: String {
        switch base {
        case .malformed(let reason): "malformed token: \(reason)"
        case .invalidKey(let reason): "unusable key: \(reason)"
        case .algorithmNotAllowed(let alg): "algorithm \"\(Self.printable(alg))\" is not allowed"
        case .unknownKeyID(let kid?): "no key with kid \"\(Self.printable(kid))\" in the JWKS"
        case .unknownKeyID(nil): "no key without a kid fits the token"
        case .keyAlgorithmMismatch: "the key does not match the token's algorithm"
        case .invalidSignature: "signature does not verify"
        case .missingClaim(let name): "claim \"\(name)\" is missing or has the wrong type"
        case .issuerMismatch: "iss is not the configured issuer"
        case .audienceMismatch: "aud does not contain the client id"
        case .authorizedPartyMismatch: "azp is not the client id"
        case .expired: "token has expired"
        case .issuedInFuture: "iat is in the future"
        case .notYetValid: "nbf is in the future"
        case .nonceMismatch: "nonce does not match"
        }
    }

    /// Header values come from the network: keep logs to short printable ASCII.
    private static func printable(_ text: String) -> String {
        let kept = text.unicodeScalars.prefix(64).map {
            $0.isASCII && $0.value >= 0x20 && $0 != "\"" ? Character($0) : "?"
        }
        return String(kept) + (text.unicodeScalars.count > 64 ? "..." : "")
    }
}
