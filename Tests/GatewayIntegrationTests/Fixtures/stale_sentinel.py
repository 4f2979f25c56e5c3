"""A sentinel whose answer is stale: it names a replica as the primary of every master.

Speaks just enough RESP2 for the gateway: AUTH and PING answer OK, SENTINEL
get-master-addr-by-name answers 127.0.0.1 and --port-of-primary, SUBSCRIBE confirms and then
stays silent. Prints "PORT n" once it listens on 127.0.0.1.
"""

import argparse
import socketserver


def bulk(text):
    data = text.encode()
    return b"$%d\r\n%s\r\n" % (len(data), data)


def read_command(stream):
    """One RESP array of bulk strings, or None at EOF."""
    line = stream.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return line.split()
    args = []
    for _ in range(int(line[1:])):
        size = int(stream.readline()[1:])
        args.append(stream.read(size + 2)[:size])
    return args


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            args = read_command(self.rfile)
            if args is None:
                return
            name = args[0].decode().upper() if args else ""
            if name in ("AUTH", "PING"):
                reply = b"+OK\r\n" if name == "AUTH" else b"+PONG\r\n"
            elif name == "SENTINEL" and len(args) == 3:
                reply = b"*2\r\n" + bulk("127.0.0.1") + bulk(str(self.server.stale_port))
            elif name == "SUBSCRIBE":
                reply = b"*3\r\n" + bulk("subscribe") + bulk(args[1].decode()) + b":1\r\n"
            else:
                reply = b"-ERR unknown command\r\n"
            self.wfile.write(reply)
            self.wfile.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-of-primary", type=int, required=True)
    options = parser.parse_args()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.stale_port = options.port_of_primary
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
