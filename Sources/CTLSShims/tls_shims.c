// OpenSSL's TLS macros as functions, and a certificate's names and dates.
#include "gateway_tls.h"
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <string.h>

int gw_tls_version_1_2(void) { return TLS1_2_VERSION; }
int gw_tls_version_1_3(void) { return TLS1_3_VERSION; }

int gw_tls_ctx_set_protocol_range(SSL_CTX *ctx, int min_version, int max_version) {
    return SSL_CTX_set_min_proto_version(ctx, min_version) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, max_version) == 1;
}

static void apply_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    /* Mozilla "intermediate": X25519, P-256, P-384. */
    SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384");
}

void gw_tls_ctx_apply_server_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_NO_COMPRESSION | SSL_OP_SINGLE_ECDH_USE);
    apply_modes(ctx);
}

void gw_tls_ctx_apply_client_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    apply_modes(ctx);
}

void gw_tls_ctx_set_session_cache(SSL_CTX *ctx, long size, long timeout_seconds) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    SSL_CTX_sess_set_cache_size(ctx, size);
    SSL_CTX_set_timeout(ctx, timeout_seconds);
}

void gw_tls_ctx_set_servername_callback(SSL_CTX *ctx, gw_tls_servername_cb cb, void *arg) {
    SSL_CTX_set_tlsext_servername_arg(ctx, arg);
    SSL_CTX_set_tlsext_servername_callback(ctx, cb);
}

int gw_tls_err_ok(void) { return SSL_TLSEXT_ERR_OK; }
int gw_tls_err_alert_fatal(void) { return SSL_TLSEXT_ERR_ALERT_FATAL; }
int gw_tls_err_noack(void) { return SSL_TLSEXT_ERR_NOACK; }

int gw_tls_set_sni(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name) == 1; }

int gw_tls_error_is_unexpected_eof(unsigned long code) {
    return ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/* Appends name (len bytes) and a NUL at *used when it fits; always counts it. */
static void put_name(char *out, size_t cap, size_t *used, const unsigned char *name, size_t len) {
    if (*used + len + 1 <= cap) {
        memcpy(out + *used, name, len);
        out[*used + len] = '\0';
    }
    *used += len + 1;
}

size_t gw_tls_x509_dns_names(X509 *cert, char *out, size_t cap) {
    size_t used = 0;
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    int count = names ? sk_GENERAL_NAME_num(names) : 0;
    for (int i = 0; i < count; i++) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_DNS) continue;
        const ASN1_IA5STRING *dns = name->d.dNSName;
        put_name(out, cap, &used, ASN1_STRING_get0_data(dns), (size_t)ASN1_STRING_length(dns));
    }
    GENERAL_NAMES_free(names);
    if (used > 0) return used;
    /* No DNS names in the SAN: fall back to the subject's common name, as clients once did. */
    X509_NAME *subject = X509_get_subject_name(cert);
    int index = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
    if (index < 0) return 0;
    const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    put_name(out, cap, &used, ASN1_STRING_get0_data(cn), (size_t)ASN1_STRING_length(cn));
    return used;
}

int gw_tls_x509_is_expired(X509 *cert) { return X509_cmp_current_time(X509_get0_notAfter(cert)) < 0; }

size_t gw_tls_x509_not_after(X509 *cert, char *out, size_t cap) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return 0;
    size_t written = 0;
    if (cap > 0 && ASN1_TIME_print(bio, X509_get0_notAfter(cert)) == 1) {
        int n = BIO_read(bio, out, (int)(cap - 1));
        if (n > 0) written = (size_t)n;
        out[written] = '\0';
    }
    BIO_free(bio);
    return written;
}
