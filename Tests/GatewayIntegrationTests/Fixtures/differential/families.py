"""Families of request variants for the differential test, each a function of `request(...)`."""

CHUNKED = b"Transfer-Encoding: chunked"
GOOD_CHUNKS = b"5\r\nhello\r\n0\r\n\r\n"

# Header lines for the seeded mix: (short name, raw line without CRLF).
HEADER_LINES = [
    ("cl0", b"Content-Length: 0"),
    ("cl5", b"Content-Length: 5"),
    ("cl5-ows", b"Content-Length:   5  "),
    ("cl5-tab", b"Content-Length:\t5\t"),
    ("cl-lead0", b"Content-Length: 005"),
    ("cl-plus", b"Content-Length: +5"),
    ("cl-neg", b"Content-Length: -5"),
    ("cl-list", b"Content-Length: 5, 5"),
    ("cl-hex", b"Content-Length: 0x5"),
    ("cl-empty", b"Content-Length: "),
    ("cl-huge", b"Content-Length: 99999999999999999999999"),
    ("cl-upper", b"CONTENT-LENGTH: 5"),
    ("te-chunked", CHUNKED),
    ("te-upper", b"Transfer-Encoding: CHUNKED"),
    ("te-gzip-chunked", b"Transfer-Encoding: gzip, chunked"),
    ("te-chunked-gzip", b"Transfer-Encoding: chunked, gzip"),
    ("te-identity", b"Transfer-Encoding: identity"),
    ("te-space", b"Transfer-Encoding:  chunked "),
    ("te-x", b"Transfer-Encoding: xchunked"),
    ("conn-close", b"Connection: close"),
    ("conn-ka", b"Connection: keep-alive"),
    ("conn-list", b"Connection: keep-alive, Upgrade"),
    ("x-ok", b"X-Custom: value"),
    ("x-empty", b"X-Empty:"),
    ("x-obs", b"X-Obs-Text: caf\xc3\xa9"),
    ("x-high", b"X-High: \xff\xfe"),
    ("x-tab", b"X-Tab: a\tb"),
    ("x-del", b"X-Del: a\x7fb"),
    ("x-nul", b"X-Nul: a\x00b"),
    ("x-sp-colon", b"X-Space : v"),
    ("x-tab-colon", b"X-Tab\t: v"),
    ("x-fold", b"X-Fold: a\r\n b"),
    ("x-name-bad", b"X(Bad): v"),
    ("x-name-empty", b": v"),
    ("x-no-colon", b"X-No-Colon"),
    ("x-bare-cr", b"X-Cr: a\rb"),
    ("x-bare-lf", b"X-Lf: a\nb"),
    ("host-dup", b"Host: other.example"),
    ("expect", b"Expect: 100-continue"),
    ("upgrade-h2c", b"Upgrade: h2c"),
]

GOOD_LINES = [
    ("x-ok", b"X-Custom: value"), ("accept", b"Accept: */*"), ("ua", b"User-Agent: diff/1.0"),
    ("cookie", b"Cookie: a=b; c=d"), ("conn-ka", b"Connection: keep-alive"), ("x-empty", b"X-Empty:"),
    ("x-obs", b"X-Obs-Text: caf\xc3\xa9"), ("x-tab", b"X-Tab: a\tb"), ("lower", b"x-lower: v"),
    ("expect", b"Expect: 100-continue"), ("ows", b"X-Ows:   v   "),
]

BODIES = [
    ("none", b""),
    ("hello", b"hello"),
    ("chunks", GOOD_CHUNKS),
    ("chunk-ext", b"5;a=b\r\nhello\r\n0\r\n\r\n"),
    ("chunk-trailer", b"5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"),
    ("chunk-bad", b"5x\r\nhello\r\n0\r\n\r\n"),
    ("chunk-short", b"5\r\nhel\r\n0\r\n\r\n"),
    ("smuggle", b"0\r\n\r\nGET /admin HTTP/1.1\r\nHost: example.com\r\n\r\n"),
]


def methods(request):
    names = [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"TRACE", b"PATCH", b"PROPFIND",
             b"MKCOL", b"PURGE", b"LINK", b"QUERY", b"SEARCH", b"REPORT", b"M-SEARCH", b"get", b"Get",
             b"GETX", b"FOO", b"G\xc3\x89T", b"GE T", b"G(T", b"", b"GET\t", b"\tGET"]
    for i, m in enumerate(names):
        yield f"{i:02d}", request(m)


def targets(request):
    values = [b"/", b"/a/b?c=d&e", b"/%41%2f", b"/a#frag", b"//double", b"/a b", b"/a\tb", b"/\x7f",
              b"/caf\xc3\xa9", b"/\xff", b"*", b"http://example.com/x", b"HTTP://EXAMPLE.COM",
              b"https://example.com:443/?q", b"http://user@example.com/", b"ftp://example.com/",
              b"example.com:443", b"a", b"/a?b=c d", b"/[]", b"/{}|\\^`", b"/\"<>", b"", b"  /",
              b"/" + b"a" * 8000]
    for i, t in enumerate(values):
        yield f"{i:02d}", request(b"GET", t)
    for i, t in enumerate([b"example.com:443", b"example.com", b"/", b"[::1]:8443", b"example.com:x"]):
        yield f"connect-{i}", request(b"CONNECT", t)
    yield "options-star", request(b"OPTIONS", b"*")


def versions(request):
    values = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/0.9", b"HTTP/1.2", b"HTTP/2.0", b"HTTP/3.0", b"HTTP/1.9",
              b"http/1.1", b"HTTP/1", b"HTTP/1.10", b"HTTP/ 1.1", b"HTTP/1.1 ", b"HTTPS/1.1", b"HTTP/a.b",
              b"", b"HTTP/11", b"HTTP\\1.1"]
    for i, v in enumerate(values):
        yield f"{i:02d}", request(b"GET", b"/", v)
    yield "double-space", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"
    yield "tab-sep", b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n"
    yield "no-version", b"GET /\r\nHost: a\r\n\r\n"
    yield "leading-crlf", b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
    yield "leading-lf", b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
    yield "leading-space", b" GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    yield "lf-only", b"GET / HTTP/1.1\nHost: a\n\n"
    yield "cr-only", b"GET / HTTP/1.1\rHost: a\r\r"
    yield "http10-no-host", request(b"GET", b"/", b"HTTP/1.0", host=False)
    yield "http11-no-host", request(b"GET", b"/", host=False)


def content_length(request):
    values = [b"0", b"5", b"05", b"00000000000000000005", b"+5", b"-5", b" 5", b"5 ", b"5,5", b"5, 5",
              b"5, 6", b",5", b"5,", b"0x5", b"5.0", b"1e1", b"", b"abc", b"\xd9\xa5", b"18446744073709551615",
              b"18446744073709551616", b"999999999999999999", b"9999999999999999999", b"1" * 40, b"5 5",
              b"\t5", b"\"5\""]
    for i, v in enumerate(values):
        yield f"value-{i:02d}", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: " + v], b"hello")
    for name in [b"content-length", b"CONTENT-LENGTH", b"Content-length", b"Content_Length", b"Content-Length "]:
        yield f"name-{name.decode().replace(' ', 'SP')}", request(b"POST", b"/", b"HTTP/1.1",
                                                                      [name + b": 5"], b"hello")
    for i, (a, b) in enumerate([(b"5", b"5"), (b"5", b"6"), (b"0", b"5"), (b"5", b"")]):
        yield f"dup-{i}", request(b"POST", b"/", b"HTTP/1.1",
                                  [b"Content-Length: " + a, b"Content-Length: " + b], b"hello")
    yield "short-body", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: 10"], b"hello")
    yield "get-with-body", request(b"GET", b"/", b"HTTP/1.1", [b"Content-Length: 5"], b"hello")
    yield "http10", request(b"POST", b"/", b"HTTP/1.0", [b"Content-Length: 5"], b"hello")


def transfer_encoding(request):
    values = [b"chunked", b"CHUNKED", b"Chunked", b"chunked ", b" chunked", b"chunked,", b",chunked",
              b"gzip, chunked", b"chunked, gzip", b"chunked, chunked", b"identity", b"identity, chunked",
              b"gzip", b"xchunked", b"chunked;q=1", b"\"chunked\"", b"chu nked", b"", b"chunked\t",
              b"chunk\xc3\xa9d", b"deflate,chunked"]
    for i, v in enumerate(values):
        yield f"value-{i:02d}", request(b"POST", b"/", b"HTTP/1.1", [b"Transfer-Encoding: " + v], GOOD_CHUNKS)
    for i, (a, b) in enumerate([(b"chunked", b"chunked"), (b"gzip", b"chunked"), (b"chunked", b"gzip")]):
        yield f"dup-{i}", request(b"POST", b"/", b"HTTP/1.1",
                                  [b"Transfer-Encoding: " + a, b"Transfer-Encoding: " + b], GOOD_CHUNKS)
    for i, cl in enumerate([b"5", b"0", b"18"]):
        yield f"with-cl-{i}", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: " + cl, CHUNKED], GOOD_CHUNKS)
        yield f"cl-after-{i}", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED, b"Content-Length: " + cl], GOOD_CHUNKS)
    yield "http10", request(b"POST", b"/", b"HTTP/1.0", [CHUNKED], GOOD_CHUNKS)
    yield "name-upper", request(b"POST", b"/", b"HTTP/1.1", [b"TRANSFER-ENCODING: chunked"], GOOD_CHUNKS)
    yield "name-space", request(b"POST", b"/", b"HTTP/1.1", [b"Transfer-Encoding : chunked"], GOOD_CHUNKS)
    yield "fold", request(b"POST", b"/", b"HTTP/1.1", [b"Transfer-Encoding:\r\n chunked"], GOOD_CHUNKS)
    yield "x-prefix", request(b"POST", b"/", b"HTTP/1.1", [b"X-Transfer-Encoding: chunked"], b"")


def chunks(request):
    bodies = [
        b"5\r\nhello\r\n0\r\n\r\n", b"5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", b"A\r\n0123456789\r\n0\r\n\r\n",
        b"a\r\n0123456789\r\n0\r\n\r\n", b"05\r\nhello\r\n0\r\n\r\n", b"0000000000000005\r\nhello\r\n0\r\n\r\n",
        b"00000000000000005\r\nhello\r\n0\r\n\r\n", b"0\r\n\r\n", b"000\r\n\r\n", b"-5\r\nhello\r\n0\r\n\r\n",
        b"+5\r\nhello\r\n0\r\n\r\n", b"0x5\r\nhello\r\n0\r\n\r\n", b"5 \r\nhello\r\n0\r\n\r\n",
        b" 5\r\nhello\r\n0\r\n\r\n", b"5\t\r\nhello\r\n0\r\n\r\n", b"\r\nhello\r\n0\r\n\r\n",
        b"g\r\nhello\r\n0\r\n\r\n", b"FFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n", b"FFFFFFFFFFFFFFFF\r\nx",
        b"5\nhello\r\n0\r\n\r\n", b"5\r\nhello\n0\r\n\r\n", b"5\r\nhello0\r\n\r\n", b"5\r\nhelloXX0\r\n\r\n",
        b"5\r\nhello\r\n0\r\n", b"5\r\nhello\r\n0\n\n", b"5\rhello\r\n0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r",
        b"3\r\nhello\r\n0\r\n\r\n", b"7\r\nhello\r\n0\r\n\r\n",
    ]
    for i, b in enumerate(bodies):
        yield f"size-{i:02d}", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], b)
    extensions = [b";a", b";a=b", b";a=\"b c\"", b" ;a", b"; a", b";a =b", b";a= b", b";", b";=b", b";a=",
                  b";a=b;c=d", b";a=\"\\\"\"", b";a=\"open", b";a@b", b";a=b c", b";\xc3\xa9", b";a=\"\xc3\xa9\"",
                  b";a=\x01", b"\t;a", b";a\r\n", b";" + b"a" * 5000]
    for i, ext in enumerate(extensions):
        yield f"ext-{i:02d}", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], b"5" + ext + b"\r\nhello\r\n0\r\n\r\n")
    trailers = [b"X-T: 1", b"X-T: 1\r\nX-U: 2", b"X-T:", b"X-T : 1", b" X-T: 1", b"X-T: 1\r\n folded",
                b"X-T 1", b"X-T: \xc3\xa9", b"X-T: a\x00b", b"X(T): 1", b"Content-Length: 5", b"X-T: a\rb",
                b"X-T: " + b"v" * 20000]
    for i, t in enumerate(trailers):
        body = b"5\r\nhello\r\n0\r\n" + t + b"\r\n\r\n"
        yield f"trailer-{i:02d}", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], body)
    yield "trailer-bare-lf", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], b"5\r\nhello\r\n0\r\nX-T: 1\n\r\n")


def fields(request):
    lines = [b"X: v", b"x-lower: v", b"X-UPPER: V", b"X-Mixed-Case: MiXeD", b"X:v", b"X:  v  ", b"X:\tv\t",
             b"X :v", b"X\t:v", b" X: v", b"\tX: v", b"X: a\r\n b", b"X: a\r\n\tb", b"X: a\r\n", b"X",
             b": v", b"X Y: v", b"X\x00: v", b"X\x7f: v", b"X\xc3\xa9: v", b"X: \xc3\xa9", b"X: \x80\xff",
             b"X: a\x00b", b"X: a\x01b", b"X: a\x7fb", b"X: a\x1bb", b"X: a\rb", b"X: a\nb", b"X: a\r",
             b"!#$%&'*+-.^_`|~09azAZ: v", b"X(: v", b"X/: v", b"X@: v", b"X[: v", b"X{: v", b"X\": v",
             b"X: \"quoted\"", b"X: a,b , c", b"X:", b"X: " + b"v" * 15000, b"X: " + b"v" * 17000,
             b"Host: example.com", b"Host: exa mple.com", b"Host: [::1]:80", b"Host: a:b", b"Host:",
             b"Connection: close", b"Connection: keep-alive, close", b"Connection: ,,close,,",
             b"Connection: c l", b"Connection: \"close\"", b"Upgrade: websocket\r\nConnection: Upgrade",
             b"Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings", b"Expect: 100-continue"]
    for i, line in enumerate(lines):
        yield f"line-{i:02d}", request(b"GET", b"/", b"HTTP/1.1", [line], host=not line.startswith(b"Host:"))
    for i, host in enumerate([b"example.com", b"", b"a b", b"a:1:2", b"\xc3\xa9.com", b"[::1]", b"a_b.com"]):
        yield f"host-only-{i}", request(b"GET", b"/", b"HTTP/1.1", [b"Host: " + host], host=False)
    yield "host-dup", request(b"GET", b"/", b"HTTP/1.1", [b"Host: example.com"])
    yield "host-case", request(b"GET", b"/", b"HTTP/1.1", [b"HOST: example.com"], host=False)
    yield "many-fields", request(b"GET", b"/", b"HTTP/1.1", [b"X-%d: v" % i for i in range(200)])
    yield "huge-head", request(b"GET", b"/", b"HTTP/1.1", [b"X-%d: %s" % (i, b"v" * 1000) for i in range(20)])


def pipelines(request):
    second = request(b"GET", b"/second")
    firsts = [
        ("get", request()), ("cl", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: 5"], b"hello")),
        ("chunked", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], GOOD_CHUNKS)),
        ("cl-short", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: 3"], b"hello")),
        ("cl0-body", request(b"POST", b"/", b"HTTP/1.1", [b"Content-Length: 0"], b"hello")),
        ("chunked-extra", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED], GOOD_CHUNKS + b"\r\n")),
        ("http10", request(b"GET", b"/", b"HTTP/1.0")),
        ("close", request(b"GET", b"/", b"HTTP/1.1", [b"Connection: close"])),
        ("te-cl", request(b"POST", b"/", b"HTTP/1.1", [CHUNKED, b"Content-Length: 4"], b"0\r\n\r\n")),
        ("head", request(b"HEAD")),
    ]
    for name, first in firsts:
        yield name, first + second
        yield name + "-crlf", first + b"\r\n" + second
        yield name + "-triple", first + second + second
        yield name + "-truncated", first + second[:10]


FAMILIES = [
    ("method", methods), ("target", targets), ("version", versions), ("content-length", content_length),
    ("transfer-encoding", transfer_encoding), ("chunk", chunks), ("field", fields), ("pipeline", pipelines),
]
