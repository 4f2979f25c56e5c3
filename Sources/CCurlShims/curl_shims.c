// Typed wrappers around libcurl's variadic setters and getters for the outbound HTTP client.
#include "gateway_curl.h"
#include <fcntl.h>
#include <pthread.h>

static pthread_once_t gw_curl_once = PTHREAD_ONCE_INIT;
static CURLcode gw_curl_init_result = CURLE_FAILED_INIT;

static void gw_curl_global_init_run(void) { gw_curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

CURLcode gw_curl_global_init_once(void) {
    pthread_once(&gw_curl_once, gw_curl_global_init_run);
    return gw_curl_init_result;
}

CURLcode gw_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gw_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gw_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gw_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gw_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode gw_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLMcode gw_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

CURLMcode gw_curl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

CURLMcode gw_curl_multi_setopt_socket_callback(CURLM *multi, curl_socket_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback);
}

CURLMcode gw_curl_multi_setopt_timer_callback(CURLM *multi, curl_multi_timer_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback);
}

int gw_dup_cloexec(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 0); }
