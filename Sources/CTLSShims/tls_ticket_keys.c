// Session-ticket keys the gateway makes and rotates itself (RFC 5077 style: name, AES, HMAC).
#include "gateway_tls.h"
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char hmac[32];
    int present;
} ticket_key;

struct gw_tls_ticket_keys {
    pthread_mutex_t lock;
    ticket_key current;
    ticket_key previous;
    long rotation_seconds;
    time_t current_since; /* monotonic seconds */
    unsigned long generation;
};

static time_t monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec;
}

/* With the lock held. */
static int rotate_locked(gw_tls_ticket_keys *keys) {
    ticket_key next;
    if (RAND_bytes(next.name, sizeof next.name) != 1 || RAND_bytes(next.aes, sizeof next.aes) != 1 ||
        RAND_bytes(next.hmac, sizeof next.hmac) != 1) {
        OPENSSL_cleanse(&next, sizeof next);
        return 0;
    }
    next.present = 1;
    OPENSSL_cleanse(&keys->previous, sizeof keys->previous);
    keys->previous = keys->current;
    keys->current = next;
    OPENSSL_cleanse(&next, sizeof next);
    keys->current_since = monotonic_seconds();
    keys->generation++;
    return 1;
}

gw_tls_ticket_keys *gw_tls_ticket_keys_new(long rotation_seconds) {
    gw_tls_ticket_keys *keys = OPENSSL_zalloc(sizeof *keys);
    if (!keys) return NULL;
    pthread_mutex_init(&keys->lock, NULL);
    keys->rotation_seconds = rotation_seconds > 0 ? rotation_seconds : 1;
    if (!rotate_locked(keys)) {
        gw_tls_ticket_keys_free(keys);
        return NULL;
    }
    keys->generation = 0;
    return keys;
}

void gw_tls_ticket_keys_free(gw_tls_ticket_keys *keys) {
    if (!keys) return;
    pthread_mutex_destroy(&keys->lock);
    OPENSSL_cleanse(keys, sizeof *keys);
    OPENSSL_free(keys);
}

int gw_tls_ticket_keys_rotate(gw_tls_ticket_keys *keys) {
    pthread_mutex_lock(&keys->lock);
    int ok = rotate_locked(keys);
    pthread_mutex_unlock(&keys->lock);
    return ok;
}

unsigned long gw_tls_ticket_keys_generation(gw_tls_ticket_keys *keys) {
    pthread_mutex_lock(&keys->lock);
    unsigned long generation = keys->generation;
    pthread_mutex_unlock(&keys->lock);
    return generation;
}

static int ex_index = -1;
static pthread_once_t ex_once = PTHREAD_ONCE_INIT;
static void make_ex_index(void) { ex_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL); }

static int set_mac_key(EVP_MAC_CTX *hctx, unsigned char *key, size_t len) {
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key, len),
                           OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    return EVP_MAC_CTX_set_params(hctx, params);
}

/* OpenSSL's ticket callback: enc=1 seals a new ticket, enc=0 finds the key for one.
   Returns 1 (use it), 2 (valid, but issue a fresh ticket: sealed with the previous key),
   0 (unknown key: full handshake) or -1 (error). */
static int ticket_callback(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                           EVP_MAC_CTX *hctx, int enc) {
    gw_tls_ticket_keys *keys = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ex_index);
    if (!keys) return -1;
    ticket_key key;
    int result = 1;
    pthread_mutex_lock(&keys->lock);
    if (enc) {
        if (monotonic_seconds() - keys->current_since >= keys->rotation_seconds) rotate_locked(keys);
        key = keys->current;
    } else if (memcmp(key_name, keys->current.name, 16) == 0) {
        key = keys->current;
    } else if (keys->previous.present && memcmp(key_name, keys->previous.name, 16) == 0) {
        key = keys->previous;
        result = 2;
    } else {
        result = 0;
    }
    pthread_mutex_unlock(&keys->lock);
    if (result == 0) return 0;
    const EVP_CIPHER *cipher = EVP_aes_256_cbc();
    int ok;
    if (enc) {
        memcpy(key_name, key.name, 16);
        ok = RAND_bytes(iv, EVP_CIPHER_get_iv_length(cipher)) == 1 &&
             EVP_EncryptInit_ex(cctx, cipher, NULL, key.aes, iv) == 1;
    } else {
        ok = EVP_DecryptInit_ex(cctx, cipher, NULL, key.aes, iv) == 1;
    }
    ok = ok && set_mac_key(hctx, key.hmac, sizeof key.hmac) == 1;
    OPENSSL_cleanse(&key, sizeof key);
    return ok ? result : -1;
}

int gw_tls_ctx_use_ticket_keys(SSL_CTX *ctx, gw_tls_ticket_keys *keys) {
    pthread_once(&ex_once, make_ex_index);
    if (ex_index < 0 || SSL_CTX_set_ex_data(ctx, ex_index, keys) != 1) return 0;
    return SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_callback) == 1;
}
