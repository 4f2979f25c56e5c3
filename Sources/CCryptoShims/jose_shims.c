// JOSE helpers over OpenSSL 3: EVP_PKEY from raw JWK parameters with OSSL_PARAM_BLD, and the
// r||s <-> DER conversion for ES256. No key math here; OpenSSL does all of it.
#include "gateway_jose.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

static EVP_PKEY *gw_jose_pkey_from_params(const char *type, OSSL_PARAM *params) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}

EVP_PKEY *gw_jose_rsa_public_key(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len) {
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = NULL;
    if (n_len == 0 || e_len == 0 || n_len > 2048 || e_len > 16) return NULL;
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bn_n == NULL || bn_e == NULL || bld == NULL) goto done;
    if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e)) goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) goto done;
    key = gw_jose_pkey_from_params("RSA", params);
done:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    ERR_clear_error();
    return key;
}

EVP_PKEY *gw_jose_ec_p256_public_key(const uint8_t *x, size_t x_len, const uint8_t *y, size_t y_len) {
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *check = NULL;
    uint8_t point[65];
    if (x_len != 32 || y_len != 32) return NULL;
    point[0] = 0x04; /* uncompressed */
    memcpy(point + 1, x, 32);
    memcpy(point + 33, y, 32);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld == NULL) goto done;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point)) goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) goto done;
    key = gw_jose_pkey_from_params("EC", params);
    if (key == NULL) goto done;
    /* Reject points off the curve or at infinity (invalid-curve attacks). */
    check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (check == NULL || EVP_PKEY_public_check(check) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
done:
    EVP_PKEY_CTX_free(check);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    ERR_clear_error();
    return key;
}

int gw_jose_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t der_cap) {
    int result = -1;
    if (raw_len == 0 || raw_len % 2 != 0 || raw_len > 264) return -1;
    size_t half = raw_len / 2;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)half, NULL);
    BIGNUM *s = BN_bin2bn(raw + half, (int)half, NULL);
    if (sig == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(sig, r, s)) {
        BN_free(r);
        BN_free(s);
        goto done;
    }
    /* sig owns r and s now. */
    int len = i2d_ECDSA_SIG(sig, NULL);
    if (len <= 0 || (size_t)len > der_cap) goto done;
    unsigned char *p = der;
    result = i2d_ECDSA_SIG(sig, &p);
done:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return result;
}

int gw_jose_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw, size_t component_len) {
    int result = -1;
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (sig == NULL) goto done;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_bn2binpad(r, raw, (int)component_len) < 0 ||
        BN_bn2binpad(s, raw + component_len, (int)component_len) < 0) goto done;
    result = (int)(2 * component_len);
done:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return result;
}

EVP_PKEY *gw_jose_generate_rsa(unsigned int bits) {
    return EVP_RSA_gen(bits);
}

EVP_PKEY *gw_jose_generate_p256(void) {
    return EVP_EC_gen("P-256");
}

static int gw_jose_copy_bn(const BIGNUM *bn, uint8_t *out, size_t cap, size_t *len) {
    int n = BN_num_bytes(bn);
    if (n < 0 || (size_t)n > cap) return 0;
    *len = (size_t)BN_bn2bin(bn, out);
    return 1;
}

int gw_jose_rsa_public_params(const EVP_PKEY *key, uint8_t *n, size_t n_cap, size_t *n_len,
                              uint8_t *e, size_t e_cap, size_t *e_len) {
    BIGNUM *bn_n = NULL, *bn_e = NULL;
    int ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn_n) == 1 &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &bn_e) == 1 &&
             gw_jose_copy_bn(bn_n, n, n_cap, n_len) && gw_jose_copy_bn(bn_e, e, e_cap, e_len);
    BN_free(bn_n);
    BN_free(bn_e);
    ERR_clear_error();
    return ok;
}

int gw_jose_ec_p256_public_params(const EVP_PKEY *key, uint8_t *x, uint8_t *y) {
    BIGNUM *bn_x = NULL, *bn_y = NULL;
    int ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bn_x) == 1 &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &bn_y) == 1 &&
             BN_bn2binpad(bn_x, x, 32) == 32 && BN_bn2binpad(bn_y, y, 32) == 32;
    BN_free(bn_x);
    BN_free(bn_y);
    ERR_clear_error();
    return ok;
}

int gw_jose_public_key_der(const EVP_PKEY *key, uint8_t *out, size_t cap) {
    int len = i2d_PUBKEY(key, NULL);
    if (len <= 0 || (size_t)len > cap) {
        ERR_clear_error();
        return -1;
    }
    unsigned char *p = out;
    return i2d_PUBKEY(key, &p);
}
