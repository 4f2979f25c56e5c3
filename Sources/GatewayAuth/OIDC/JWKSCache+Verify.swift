// A compact JWS checked against the cached keys: parse, the algorithm allow-list (before any
// fetch, so junk tokens never reach the issuer), the keys for its kid, the signature.

extension JWKSCache {
    public enum VerifyFailure: Error, Sendable, Equatable {
        /// The token is refused; the reason is safe to log and to send back.
        case invalid(JWTError)
        /// No keys could be fetched and none are cached.
        case keysUnavailable
    }

    /// The verified claims of `token`, or why not. Completes on the cache's queue, exactly once.
    public func verify(
        _ token: String, allowed: Set<String>, completion: @escaping (Result<JWTClaims, VerifyFailure>) -> Void
    ) {
        let jws: CompactJWS
        do throws(JWTError) {
            jws = try CompactJWS(token)
        } catch {
            return completion(.failure(.invalid(error)))
        }
        guard allowed.contains(jws.algorithm) else {
            return completion(.failure(.invalid(.algorithmNotAllowed(jws.algorithm))))
        }
        keys(forKeyID: jws.keyID) { result in
            guard case .success(let set) = result else { return completion(.failure(.keysUnavailable)) }
            do throws(JWTError) {
                completion(.success(try JWTVerifier.verify(jws, keys: set, allowed: allowed)))
            } catch {
                completion(.failure(.invalid(error)))
            }
        }
    }
}
