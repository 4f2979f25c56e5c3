// AES-256-GCM, the cipher under SealedValue.
import COpenSSL

/// AES-256-GCM on OpenSSL's EVP interface (every call here is a plain C function).
enum AESGCM {
    /// `ciphertext ‖ tag`, or nil if OpenSSL fails.
    static func seal(_ plain: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard let ctx = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plain.count + SealedValue.tagSize)
        var length: Int32 = 0
        var ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1
        ok = ok && EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        ok =
            ok
            && out.withUnsafeMutableBufferPointer { o in
                EVP_EncryptUpdate(ctx, o.baseAddress, &length, plain, Int32(plain.count)) == 1
                    && length == Int32(plain.count)
                    && EVP_EncryptFinal_ex(ctx, o.baseAddress! + plain.count, &length) == 1
                    && EVP_CIPHER_CTX_ctrl(
                        ctx, EVP_CTRL_GCM_GET_TAG, Int32(SealedValue.tagSize), o.baseAddress! + plain.count) == 1
            }
        return ok ? out : nil
    }

    /// The plaintext when the tag verifies, else nil.
    static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard sealed.count >= SealedValue.tagSize, let ctx = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let count = sealed.count - SealedValue.tagSize
        var tag = Array(sealed[count...])
        var out = [UInt8](repeating: 0, count: count + SealedValue.tagSize)
        var length: Int32 = 0
        var final: Int32 = 0
        var ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1
        ok = ok && EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        ok =
            ok
            && out.withUnsafeMutableBufferPointer { o in
                sealed.withUnsafeBufferPointer { s in
                    EVP_DecryptUpdate(ctx, o.baseAddress, &length, s.baseAddress, Int32(count)) == 1
                } && length == Int32(count)
                    && tag.withUnsafeMutableBytes {
                        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(SealedValue.tagSize), $0.baseAddress) == 1
                    }
                    // Checks the tag: a changed byte anywhere fails here (GCM writes nothing more).
                    && EVP_DecryptFinal_ex(ctx, o.baseAddress! + count, &final) == 1
            }
        return ok ? Array(out[..<count]) : nil
    }
}
