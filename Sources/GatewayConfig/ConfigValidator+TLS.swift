// TLS settings: the `tls cert=FILE key=FILE ...` tail of `listen`, the top-level
// `ssl_protocols` / `ssl_ciphers` overrides (never below TLS 1.2 or a forward-secret AEAD suite),
// and `hsts`.

extension ConfigValidator {
    /// The protocol and cipher policy every TLS listener gets.
    struct TLSPolicy {
        var minimumVersion = TLSProtocolVersion.tls12
        var maximumVersion = TLSProtocolVersion.tls13
        var ciphers = ConfigDefaults.tls12Ciphers
        var cipherSuites = ConfigDefaults.tls13CipherSuites
    }

    /// TLS 1.2 suites an `ssl_ciphers` list may name: ECDHE with AES-GCM or ChaCha20-Poly1305.
    static let allowedTLS12Ciphers = Set(ConfigDefaults.tls12Ciphers)
    static let allowedTLS13CipherSuites = Set(ConfigDefaults.tls13CipherSuites)
    /// What `ssl_protocols` refuses by name, so the message can say why.
    private static let weakProtocols: Set<String> = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1"]

    /// `ssl_protocols` and `ssl_ciphers`, or the defaults.
    mutating func tlsPolicy(_ top: ScreenedBlock) -> TLSPolicy {
        var policy = TLSPolicy()
        if let node = top.first("ssl_protocols") {
            var versions: [TLSProtocolVersion] = []
            for arg in node.args {
                if let version = TLSProtocolVersion(rawValue: arg.value) {
                    versions.append(version)
                } else if Self.weakProtocols.contains(arg.value) {
                    error(
                        arg.location, nil,
                        "\"ssl_protocols\": \"\(arg.value)\" is below TLS 1.2, which the gateway never offers")
                } else {
                    error(arg.location, nil, "\"ssl_protocols\" takes TLSv1.2 and/or TLSv1.3, got \"\(arg.value)\"")
                }
            }
            if let low = versions.min(), let high = versions.max() {
                policy.minimumVersion = low
                policy.maximumVersion = high
            }
        }
        if let node = top.first("ssl_ciphers") {
            let arg = node.args[0]
            var ciphers: [String] = []
            var suites: [String] = []
            var valid = true
            for name in arg.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init) {
                if Self.allowedTLS12Ciphers.contains(name) {
                    ciphers.append(name)
                } else if Self.allowedTLS13CipherSuites.contains(name) {
                    suites.append(name)
                } else {
                    let allowed = (ConfigDefaults.tls12Ciphers + ConfigDefaults.tls13CipherSuites).joined(
                        separator: ", ")
                    error(
                        arg.location, nil,
                        "\"ssl_ciphers\": \"\(name)\" is not a forward-secret AEAD suite; name suites from: \(allowed)")
                    valid = false
                }
            }
            if valid && ciphers.isEmpty && policy.minimumVersion == .tls12 {
                error(
                    arg.location, nil,
                    "\"ssl_ciphers\" names no TLS 1.2 suite, but TLSv1.2 is enabled (see \"ssl_protocols\")")
            }
            if valid {
                if !ciphers.isEmpty { policy.ciphers = ciphers }
                if !suites.isEmpty { policy.cipherSuites = suites }
            }
        }
        return policy
    }

    /// The `tls cert=FILE key=FILE [cert=FILE key=FILE ...]` tail of `listen`; `config` is nil
    /// when there is none. Each file must be readable (that it parses is checked when it is loaded).
    mutating func listenTLS(
        _ args: [ConfigArgument], item: String, at location: SourceLocation, policy: TLSPolicy
    ) -> (isValid: Bool, config: ListenerTLSConfig?) {
        guard let first = args.first else { return (true, nil) }
        let expected = "(expected \"tls cert=FILE key=FILE [cert=FILE key=FILE ...]\")"
        guard first.value == "tls" else {
            error(first.location, nil, "\(item): unexpected argument \"\(first.value)\" \(expected)")
            return (false, nil)
        }
        var pairs: [(cert: ConfigArgument, key: ConfigArgument)] = []
        var pendingCert: ConfigArgument?
        var valid = true
        for arg in args.dropFirst() {
            if arg.value.hasPrefix("cert=") {
                if let pendingCert {
                    error(pendingCert.location, nil, "\(item): \"\(pendingCert.value)\" has no key=FILE after it")
                    valid = false
                }
                pendingCert = arg
            } else if arg.value.hasPrefix("key=") {
                guard let cert = pendingCert else {
                    error(arg.location, nil, "\(item): \"\(arg.value)\" must follow its cert=FILE")
                    valid = false
                    continue
                }
                pairs.append((cert, arg))
                pendingCert = nil
            } else {
                error(arg.location, nil, "\(item): unexpected argument \"\(arg.value)\" \(expected)")
                valid = false
            }
        }
        if let pendingCert, !pairs.isEmpty {
            error(pendingCert.location, nil, "\(item): \"\(pendingCert.value)\" has no key=FILE after it")
            valid = false
        }
        guard valid else { return (false, nil) }
        guard !pairs.isEmpty else {
            error(location, nil, "\(item): \"tls\" needs cert=FILE and key=FILE")
            return (false, nil)
        }
        // Only a well-formed list is checked on disk, so one mistake gives one message.
        for (cert, key) in pairs {
            let certOK = readable(cert, prefix: "cert=", kind: "certificate", item: item)
            let keyOK = readable(key, prefix: "key=", kind: "key", item: item)
            valid = valid && certOK && keyOK
        }
        guard valid else { return (false, nil) }
        let files = pairs.map {
            TLSFiles(certificatePath: String($0.cert.value.dropFirst(5)), keyPath: String($0.key.value.dropFirst(4)))
        }
        let config = ListenerTLSConfig(
            certificates: files, minimumVersion: policy.minimumVersion, maximumVersion: policy.maximumVersion,
            ciphers: policy.ciphers, cipherSuites: policy.cipherSuites, location: location)
        return (true, config)
    }

    /// Whether `cert=FILE` / `key=FILE` names a file that can be read; reports it if not.
    private mutating func readable(_ arg: ConfigArgument, prefix: String, kind: String, item: String) -> Bool {
        let path = String(arg.value.dropFirst(prefix.count))
        guard !path.isEmpty else {
            error(arg.location, nil, "\(item): \"\(prefix)\" needs a file")
            return false
        }
        guard let problem = ConfigFileSystem.readProblem(path) else { return true }
        error(arg.location, nil, "\(item): \(kind) \"\(path)\" cannot be read: \(problem)")
        return false
    }

    /// `hsts max_age=SECONDS [include_subdomains];` or `hsts off;`. Default one year, but only
    /// when `public_url` is https: browsers ignore the field over plain http.
    mutating func hsts(_ node: ConfigNode?, publicURL: PublicURL?) -> HSTSConfig? {
        let isHTTPS = publicURL?.isHTTPS ?? false
        guard let node else { return isHTTPS ? HSTSConfig() : nil }
        let expected = "\"hsts\" takes max_age=SECONDS [include_subdomains], or off"
        if node.args[0].value == "off" {
            if node.args.count > 1 { error(node.args[1].location, nil, expected) }
            return nil
        }
        var policy = HSTSConfig()
        var valid = true
        let maxAge = node.args[0]
        if maxAge.value.hasPrefix("max_age="), let seconds = ConfigValues.integer(String(maxAge.value.dropFirst(8))),
            seconds >= 0
        {
            policy.maxAge = seconds
        } else {
            error(maxAge.location, nil, "\(expected); got \"\(maxAge.value)\"")
            valid = false
        }
        if node.args.count > 1 {
            if node.args[1].value == "include_subdomains" {
                policy.includeSubdomains = true
            } else {
                error(node.args[1].location, nil, "\(expected); got \"\(node.args[1].value)\"")
                valid = false
            }
        }
        guard valid else { return nil }
        guard isHTTPS else {
            warning(
                node.location, nil, "\"hsts\" has no effect: public_url is not https, and browsers ignore it over http")
            return nil
        }
        return policy
    }
}
