// Typed libcurl helpers for the outbound HTTP client: what Swift cannot call (variadic setters and
// getters) and setters typed with libcurl's callback types, so Swift can pass @convention(c) closures.
#ifndef GATEWAY_CURL_H
#define GATEWAY_CURL_H

#include <curl/curl.h>

/* curl_global_init(CURL_GLOBAL_DEFAULT), run once per process; every call returns its result. */
CURLcode gw_curl_global_init_once(void);

/* libcurl's variadic setters, one per argument type. */
CURLcode gw_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode gw_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode gw_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode gw_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/* For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share this signature. */
CURLcode gw_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);
CURLcode gw_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);

CURLMcode gw_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode gw_curl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value);
CURLMcode gw_curl_multi_setopt_socket_callback(CURLM *multi, curl_socket_callback callback);
CURLMcode gw_curl_multi_setopt_timer_callback(CURLM *multi, curl_multi_timer_callback callback);

/* A close-on-exec duplicate of fd (F_DUPFD_CLOEXEC); -1 on failure. */
int gw_dup_cloexec(int fd);

#endif
