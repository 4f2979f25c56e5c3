// JOSE helpers over OpenSSL 3: public keys from JWK parameters, ECDSA signature formats, and
// key generation and export for tests that sign their own tokens.
#ifndef GATEWAY_JOSE_H
#define GATEWAY_JOSE_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

/* An RSA public key from big-endian modulus and exponent bytes; NULL on failure. */
EVP_PKEY *gw_jose_rsa_public_key(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len);

/* A P-256 public key from 32-byte big-endian affine coordinates; NULL unless the point is a
   valid public key on the curve. */
EVP_PKEY *gw_jose_ec_p256_public_key(const uint8_t *x, size_t x_len, const uint8_t *y, size_t y_len);

/* JOSE ECDSA signatures are r || s, each `raw_len / 2` bytes; OpenSSL wants DER ECDSA-Sig-Value.
   Both return the number of bytes written, or -1. */
int gw_jose_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t der_cap);
int gw_jose_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw, size_t component_len);

/* Key generation and public-parameter export, for tests that sign tokens. */
EVP_PKEY *gw_jose_generate_rsa(unsigned int bits);
EVP_PKEY *gw_jose_generate_p256(void);
/* Big-endian modulus and exponent without leading zeros; 1 on success. */
int gw_jose_rsa_public_params(const EVP_PKEY *key, uint8_t *n, size_t n_cap, size_t *n_len,
                              uint8_t *e, size_t e_cap, size_t *e_len);
/* 32-byte big-endian affine coordinates of a P-256 key; 1 on success. */
int gw_jose_ec_p256_public_params(const EVP_PKEY *key, uint8_t *x, uint8_t *y);
/* DER SubjectPublicKeyInfo of a key; the length written, or -1 if it does not fit. */
int gw_jose_public_key_der(const EVP_PKEY *key, uint8_t *out, size_t cap);

/* Signature schemes for gw_jose_verify. */
#define GW_JOSE_PS256 1
#define GW_JOSE_EDDSA 2

/* An Ed25519 public key from its 32 raw bytes (JWK "x"); NULL on failure. */
EVP_PKEY *gw_jose_ed25519_public_key(const uint8_t *x, size_t x_len);
/* 1 when this OpenSSL can use Ed25519. */
int gw_jose_has_ed25519(void);
/* Verifies RSASSA-PSS with SHA-256 (GW_JOSE_PS256) or Ed25519 (GW_JOSE_EDDSA); 1 when it holds. */
int gw_jose_verify(const EVP_PKEY *key, int scheme, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                   size_t sig_len);
/* A P-256 key pair from a 32-byte big-endian scalar in [1, n-1]; NULL otherwise. */
EVP_PKEY *gw_jose_p256_private_key(const uint8_t *scalar, size_t len);
/* A P-256 private key from PEM text (PKCS #8 or SEC 1); NULL unless it is one. */
EVP_PKEY *gw_jose_p256_private_key_pem(const char *pem, size_t len);
/* ES256 over msg: writes r || s (64 bytes) to raw64; returns 64, or -1. */
int gw_jose_es256_sign(const EVP_PKEY *key, const uint8_t *msg, size_t msg_len, uint8_t *raw64);

#endif
