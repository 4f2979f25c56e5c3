/* HMAC-SHA256 with the key set up once and reused (OpenSSL 3 EVP_MAC). */
#ifndef GATEWAY_HMAC_H
#define GATEWAY_HMAC_H
#include <stddef.h>
#include <stdint.h>

typedef struct gw_hmac_key gw_hmac_key;

/* NULL when OpenSSL cannot provide HMAC-SHA256. */
gw_hmac_key *gw_hmac_key_new(const uint8_t *key, size_t key_len);
/* Writes 32 bytes to out; returns 1 on success. Thread-safe for one key only per thread. */
int gw_hmac_sha256(gw_hmac_key *key, const uint8_t *msg, size_t msg_len, uint8_t *out);
void gw_hmac_key_free(gw_hmac_key *key);

#endif
