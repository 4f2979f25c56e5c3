/* Typed wrappers for the OpenSSL TLS macros Swift cannot call, the session-ticket key ring with
   its rotation, and a certificate's DNS names. */
#ifndef GATEWAY_TLS_H
#define GATEWAY_TLS_H
#include <stddef.h>
#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Protocol versions as OpenSSL numbers them (TLS1_2_VERSION, TLS1_3_VERSION). */
int gw_tls_version_1_2(void);
int gw_tls_version_1_3(void);

/* SSL_CTX_set_min_proto_version / SSL_CTX_set_max_proto_version; 1 on success. */
int gw_tls_ctx_set_protocol_range(SSL_CTX *ctx, int min_version, int max_version);

/* The server options the gateway always wants: server cipher preference (TLS 1.2), no
   renegotiation, no compression, a fresh ECDHE key per handshake; partial writes and moving write
   buffers (a non-blocking writer retries with what it still has); buffers released while idle. */
void gw_tls_ctx_apply_server_options(SSL_CTX *ctx);
/* The same modes for a client context (no cipher preference, which is the server's). */
void gw_tls_ctx_apply_client_options(SSL_CTX *ctx);

/* The server-side session cache: size in sessions, and how long a session or ticket is valid. */
void gw_tls_ctx_set_session_cache(SSL_CTX *ctx, long size, long timeout_seconds);

/* SSL_CTX_set_tlsext_servername_callback plus its argument. The callback returns
   SSL_TLSEXT_ERR_OK (or NOACK / ALERT_FATAL) and may switch the SSL's context. */
typedef int (*gw_tls_servername_cb)(SSL *ssl, int *alert, void *arg);
void gw_tls_ctx_set_servername_callback(SSL_CTX *ctx, gw_tls_servername_cb cb, void *arg);
int gw_tls_err_ok(void);
int gw_tls_err_alert_fatal(void);
int gw_tls_err_noack(void);

/* SSL_set_tlsext_host_name: the SNI a client sends; 1 on success. */
int gw_tls_set_sni(SSL *ssl, const char *name);

/* Whether the last error on this thread's queue is "unexpected EOF while reading" (the peer
   closed the TCP connection without close_notify). Does not remove it. */
int gw_tls_error_is_unexpected_eof(unsigned long code);

/* The certificate's SAN DNS names, or its subject CN when it has none, each followed by a NUL,
   written to out (at most cap bytes). Returns the bytes needed; call again with more room when
   that is larger than cap. */
size_t gw_tls_x509_dns_names(X509 *cert, char *out, size_t cap);
/* 1 when the certificate's notAfter is in the past. */
int gw_tls_x509_is_expired(X509 *cert);
/* notAfter as text ("Jan  2 00:00:00 2020 GMT") into out; its length, or 0. */
size_t gw_tls_x509_not_after(X509 *cert, char *out, size_t cap);

/* ---- Session tickets ----
   A ring of two keys: tickets are sealed with the current key and opened with the current or
   the previous one. The current key is replaced when it is older than `rotation_seconds` (checked
   on the monotonic clock as tickets are issued) or when gw_tls_ticket_keys_rotate is called, so
   no key seals tickets for longer than that and none opens them for longer than twice that.
   Keys come from RAND_bytes and never leave this struct. Thread-safe. */
typedef struct gw_tls_ticket_keys gw_tls_ticket_keys;
gw_tls_ticket_keys *gw_tls_ticket_keys_new(long rotation_seconds);
void gw_tls_ticket_keys_free(gw_tls_ticket_keys *keys);
/* 1 on success (0 only when RAND_bytes fails; the old keys stay). */
int gw_tls_ticket_keys_rotate(gw_tls_ticket_keys *keys);
/* How many times the ring has rotated since it was made. */
unsigned long gw_tls_ticket_keys_generation(gw_tls_ticket_keys *keys);
/* Installs the ring's ticket callback on ctx (SSL_CTX_set_tlsext_ticket_key_evp_cb). The ring
   must outlive ctx and every SSL made from it. 1 on success. */
int gw_tls_ctx_use_ticket_keys(SSL_CTX *ctx, gw_tls_ticket_keys *keys);

#endif
