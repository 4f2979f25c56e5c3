"""Runs llhttp (Node's parser, every lenient flag off) on the generated requests and writes its verdicts.

Usage: llhttp_oracle.py OUT.json
Each case: {"id", "hex", "llhttp": {"messages": [...], "state": "complete|incomplete|error|closed", "error"}}.
A message: method, target (hex), version "1.1", framing "none|length|chunked", length (Content-Length
or null), body (decoded payload bytes), end (offset just past the message), upgrade (the rest is a tunnel).
"""

import json
import sys

import llhttp

from cases import generate


class Oracle(llhttp.Request):
    def __init__(self):
        self.messages = []
        self.current = None

    def on_message_begin(self):
        self.current = {"url": b"", "field": b"", "names": set(), "body": 0}

    def on_url(self, data):
        self.current["url"] += bytes(data)

    def on_header_field(self, data):
        self.current["field"] += bytes(data)

    def on_header_field_complete(self):
        self.current["names"].add(self.current["field"].lower())
        self.current["field"] = b""

    def on_headers_complete(self):
        current = self.current
        if b"transfer-encoding" in current["names"]:
            framing = "chunked"
        elif self.content_length is not None:
            framing = "length"
        else:
            framing = "none"
        current["head"] = {
            "method": self.method,
            "version": f"{self.major}.{self.minor}",
            "framing": framing,
            "length": self.content_length if framing == "length" else None,
        }

    def on_body(self, data):
        self.current["body"] += len(bytes(data))

    def on_message_complete(self):
        # Pause so execute returns where this message ended.
        self.pause()


def judge(data):
    parser = Oracle()
    offset = 0
    state = "complete"
    error = None
    while True:
        try:
            consumed = parser.execute(data[offset:])
        except llhttp.ClosedConnectionError:
            # Bytes after a message that ends the connection: the gateway stops reading there too.
            state = "closed"
            break
        except llhttp.Error as e:
            state, error = "error", f"{type(e).__name__}: {e}"
            break
        offset += consumed
        if parser.is_paused:
            current = parser.current
            message = dict(current["head"])
            message.update(
                target=current["url"].hex(), body=current["body"], end=offset, upgrade=bool(parser.is_upgrading)
            )
            parser.messages.append(message)
            parser.current = None
            if message["upgrade"] or offset >= len(data):
                break
            parser.unpause()
            continue
        if parser.is_upgrading and parser.current is None:
            # llhttp stops at an upgrade (or CONNECT) once the paused message is resumed.
            if parser.messages:
                parser.messages[-1]["upgrade"] = True
            break
        if parser.current is not None:
            state = "incomplete"
        break
    return {"messages": parser.messages, "state": state, "error": error}


def main():
    cases = []
    for case_id, data in generate():
        cases.append({"id": case_id, "hex": data.hex(), "llhttp": judge(data)})
    with open(sys.argv[1], "w") as f:
        json.dump({"llhttp": llhttp.version, "cases": cases}, f)
    print(f"{len(cases)} cases", flush=True)


if __name__ == "__main__":
    main()
