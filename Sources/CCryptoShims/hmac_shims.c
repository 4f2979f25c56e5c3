// HMAC whose key schedule is computed once: each MAC duplicates a keyed template.
#include "gateway_hmac.h"
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdlib.h>

struct gw_hmac_key {
    EVP_MAC *mac;
    EVP_MAC_CTX *keyed;
};

gw_hmac_key *gw_hmac_key_new(const char *digest, const uint8_t *key, size_t key_len) {
    gw_hmac_key *k = calloc(1, sizeof(*k));
    if (!k) return NULL;
    k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (!k->mac) goto fail;
    k->keyed = EVP_MAC_CTX_new(k->mac);
    if (!k->keyed) goto fail;
    /* OSSL_PARAM only reads the name; the cast is for its non-const signature. */
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
                           OSSL_PARAM_construct_end()};
    static const uint8_t empty = 0;
    if (EVP_MAC_init(k->keyed, key_len ? key : &empty, key_len, params) != 1) goto fail;
    return k;
fail:
    gw_hmac_key_free(k);
    return NULL;
}

size_t gw_hmac(gw_hmac_key *key, const uint8_t *msg, size_t msg_len, uint8_t *out, size_t out_cap) {
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(key->keyed);
    if (!ctx) return 0;
    size_t len = 0;
    int ok = EVP_MAC_update(ctx, msg, msg_len) == 1 && EVP_MAC_final(ctx, out, &len, out_cap) == 1;
    EVP_MAC_CTX_free(ctx);
    return ok ? len : 0;
}

void gw_hmac_key_free(gw_hmac_key *key) {
    if (!key) return;
    EVP_MAC_CTX_free(key->keyed);
    EVP_MAC_free(key->mac);
    free(key);
}
