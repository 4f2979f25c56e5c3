// How the gateway checks the certificates of an upstream's `https://` servers.

/// TLS towards one upstream's `server https://HOST:PORT` entries.
public struct UpstreamTLSConfig: Sendable, Hashable {
    /// `ca_file FILE;` — PEM certificates trusted in addition to the system store (a private
    /// CA). Checked readable at validation.
    public var caFile: String?
    /// `tls_verify on|off;` — default on: the chain must verify and the certificate must name
    /// the server's host. `off` accepts any certificate (and `--check` warns about it).
    public var verify: Bool

    public init(caFile: String? = nil, verify: Bool = true) {
        self.caFile = caFile
        self.verify = verify
    }
}
