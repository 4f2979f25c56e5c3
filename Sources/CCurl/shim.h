// libcurl headers for Swift: outbound HTTP to identity providers.
#include <curl/curl.h>
