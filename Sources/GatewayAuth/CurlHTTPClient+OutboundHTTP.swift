// The libcurl client is what providers use for their outbound calls.

extension CurlHTTPClient: OutboundHTTP {}
