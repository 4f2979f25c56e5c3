"""The differential test's requests: valid, edge and hostile, from fixed tables and a seeded mix.

`generate()` yields (id, bytes) in a fixed order; ids name the family and the variant, so the
stricter table (stricter.tsv) can list them.
"""

import random

from families import BODIES, FAMILIES, GOOD_LINES, HEADER_LINES

SEED = 20261202
MIX_COUNT = 1800


def request(method=b"GET", target=b"/", version=b"HTTP/1.1", headers=None, body=b"", host=True):
    lines = [method + b" " + target + b" " + version]
    if host:
        lines.append(b"Host: example.com")
    lines.extend(headers or [])
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chunked_body(rng, payload):
    """`payload` split into random chunks, sizes in random hex case, maybe with extensions and a trailer."""
    out = b""
    i = 0
    while i < len(payload):
        n = rng.randint(1, max(1, len(payload) - i))
        size = b"%x" % n if rng.random() < 0.5 else b"%X" % n
        ext = rng.choice([b"", b"", b";a", b";a=b", b";a=\"q r\""])
        out += size + ext + b"\r\n" + payload[i:i + n] + b"\r\n"
        i += n
    trailer = rng.choice([b"", b"", b"X-Trailer: t\r\n"])
    return out + b"0\r\n" + trailer + b"\r\n"


def mixed(rng):
    """A framing that fits its body (or, sometimes, one from the hostile pool), other field lines mostly
    valid, maybe a second request behind it."""
    payload = bytes(rng.choice(b"abcxyz0123\r\n") for _ in range(rng.randint(0, 40)))
    framing = rng.choice(["none", "length", "length", "chunked", "chunked", "pool"])
    names = [framing]
    headers = []
    body = b""
    if framing == "length":
        headers.append(b"Content-Length: %d" % len(payload))
        body = payload
    elif framing == "chunked":
        headers.append(b"Transfer-Encoding: chunked")
        body = chunked_body(rng, payload)
    elif framing == "pool":
        name, body = rng.choice(BODIES)
        names.append(name)
    for _ in range(rng.randint(0, 3)):
        name, line = rng.choice(GOOD_LINES if rng.random() < 0.7 else HEADER_LINES)
        names.append(name)
        headers.insert(rng.randint(0, len(headers)), line)
    method = rng.choice([b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS"])
    # Chunked in HTTP/1.0 is one rule (we refuse it, llhttp reads it): the family tables cover it.
    version = rng.choice([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0"]) if framing != "chunked" else b"HTTP/1.1"
    data = request(method, b"/m?%d" % rng.randint(0, 999), version, headers, body)
    if rng.random() < 0.3:
        data += request(b"GET", b"/second")
        names.append("pipelined")
    return "+".join(names), data


def generate():
    for family, variants in FAMILIES:
        for name, data in variants(request):
            yield f"{family}/{name}", data
    rng = random.Random(SEED)
    for i in range(MIX_COUNT):
        names, data = mixed(rng)
        yield f"mix/{i:04d}/{names}", data
