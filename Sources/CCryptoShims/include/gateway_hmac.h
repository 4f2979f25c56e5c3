/* HMAC with the key set up once and reused (OpenSSL 3 EVP_MAC). */
#ifndef GATEWAY_HMAC_H
#define GATEWAY_HMAC_H
#include <stddef.h>
#include <stdint.h>

typedef struct gw_hmac_key gw_hmac_key;

/* digest is an OpenSSL digest name ("SHA256", "SHA1"). NULL when OpenSSL cannot provide it. */
gw_hmac_key *gw_hmac_key_new(const char *digest, const uint8_t *key, size_t key_len);
/* Writes the MAC to out (at most out_cap bytes); returns its length, or 0 on failure.
   Each call duplicates the keyed template, so threads may share one key. */
size_t gw_hmac(gw_hmac_key *key, const uint8_t *msg, size_t msg_len, uint8_t *out, size_t out_cap);
void gw_hmac_key_free(gw_hmac_key *key);

#endif
