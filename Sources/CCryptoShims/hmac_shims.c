// HMAC-SHA256 whose key schedule is computed once: each MAC duplicates a keyed template.
#include "gateway_hmac.h"
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdlib.h>

struct gw_hmac_key {
    EVP_MAC *mac;
    EVP_MAC_CTX *keyed;
};

gw_hmac_key *gw_hmac_key_new(const uint8_t *key, size_t key_len) {
    gw_hmac_key *k = calloc(1, sizeof(*k));
    if (!k) return NULL;
    k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (!k->mac) goto fail;
    k->keyed = EVP_MAC_CTX_new(k->mac);
    if (!k->keyed) goto fail;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    static const uint8_t empty = 0;
    if (EVP_MAC_init(k->keyed, key_len ? key : &empty, key_len, params) != 1) goto fail;
    return k;
fail:
    gw_hmac_key_free(k);
    return NULL;
}

int gw_hmac_sha256(gw_hmac_key *key, const uint8_t *msg, size_t msg_len, uint8_t *out) {
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(key->keyed);
    if (!ctx) return 0;
    size_t len = 0;
    int ok = EVP_MAC_update(ctx, msg, msg_len) == 1 && EVP_MAC_final(ctx, out, &len, 32) == 1 && len == 32;
    EVP_MAC_CTX_free(ctx);
    return ok;
}

void gw_hmac_key_free(gw_hmac_key *key) {
    if (!key) return;
    EVP_MAC_CTX_free(key->keyed);
    EVP_MAC_free(key->mac);
    free(key);
}
