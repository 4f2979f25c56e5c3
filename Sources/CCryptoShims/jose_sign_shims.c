// JOSE verification beyond PKCS #1 v1.5 and ECDSA (RSA-PSS, Ed25519), and ES256 signing with
// the gateway's own P-256 key (from a PEM file or a 32-byte scalar), over OpenSSL 3 EVP.
#include "gateway_jose.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

EVP_PKEY *gw_jose_ed25519_public_key(const uint8_t *x, size_t x_len) {
    if (x_len != 32) return NULL;
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, x_len);
    ERR_clear_error();
    return key;
}

int gw_jose_has_ed25519(void) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    int ok = ctx != NULL;
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

int gw_jose_verify(const EVP_PKEY *key, int scheme, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                   size_t sig_len) {
    int ok = 0;
    EVP_PKEY_CTX *pctx = NULL;
    if (sig_len == 0) return 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) goto done;
    const EVP_MD *md = scheme == GW_JOSE_EDDSA ? NULL : EVP_sha256();
    if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, (EVP_PKEY *)key) != 1) goto done;
    if (scheme == GW_JOSE_PS256) {
        /* RFC 7518 3.5: MGF1 with SHA-256 and a salt as long as the hash. */
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1) goto done;
    }
    ok = EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1;
done:
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

/* A P-256 key pair from its private scalar: the public point is computed here. */
EVP_PKEY *gw_jose_p256_private_key(const uint8_t *scalar, size_t len) {
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t point[65];
    if (len != 32) return NULL;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BIGNUM *priv = BN_bin2bn(scalar, (int)len, NULL);
    EC_POINT *pub = group ? EC_POINT_new(group) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (group == NULL || priv == NULL || pub == NULL || bld == NULL) goto done;
    if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(group)) >= 0) goto done;
    if (EC_POINT_mul(group, pub, priv, NULL, NULL, NULL) != 1) goto done;
    if (EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, point, sizeof point, NULL) != sizeof point)
        goto done;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point)) goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0) key = NULL;
done:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(pub);
    BN_clear_free(priv);
    EC_GROUP_free(group);
    ERR_clear_error();
    return key;
}

EVP_PKEY *gw_jose_p256_private_key_pem(const char *pem, size_t len) {
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (key != NULL) {
        char group[32] = {0};
        size_t glen = 0;
        if (!EVP_PKEY_is_a(key, "EC") ||
            EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen) != 1 ||
            (strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0)) {
            EVP_PKEY_free(key);
            key = NULL;
        }
    }
    ERR_clear_error();
    return key;
}

int gw_jose_es256_sign(const EVP_PKEY *key, const uint8_t *msg, size_t msg_len, uint8_t *raw64) {
    int result = -1;
    uint8_t der[80];
    size_t der_len = sizeof der;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, (EVP_PKEY *)key) != 1 ||
        EVP_DigestSign(ctx, der, &der_len, msg, msg_len) != 1) goto done;
    result = gw_jose_ecdsa_der_to_raw(der, der_len, raw64, 32);
done:
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return result;
}
