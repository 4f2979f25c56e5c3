// `accept bearer` in a location, and the signed identity assertion (`identity_assertion`,
// `identity_assertion_key`) at the top level and per location.

extension ConfigValidator {
    /// `accept bearer issuer=URL audience=AUD;`
    mutating func bearer(_ node: ConfigNode, item: String) -> BearerConfig? {
        guard node.args[0].value == "bearer" else {
            error(node.args[0].location, item, "\"accept\" takes \"bearer\", got \"\(node.args[0].value)\"")
            return nil
        }
        var values: [String: String] = [:]
        for arg in node.args.dropFirst() {
            let parts = arg.value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            guard parts.count == 2, ["issuer", "audience"].contains(key) else {
                error(arg.location, item, "\"accept bearer\" takes issuer=URL and audience=AUD, got \"\(arg.value)\"")
                return nil
            }
            guard values[key] == nil else {
                error(arg.location, item, "\"accept bearer\" has \(key)= twice")
                return nil
            }
            let value = String(parts[1])
            if key == "issuer", !ConfigValues.isHTTPURL(value) || value.contains(where: \.isWhitespace) {
                error(arg.location, item, "\"accept bearer\" issuer \"\(value)\" is not an http(s) URL")
                return nil
            }
            if key == "audience", value.isEmpty {
                error(arg.location, item, "\"accept bearer\" audience must not be empty")
                return nil
            }
            values[key] = value
        }
        guard let issuer = values["issuer"], let audience = values["audience"] else {
            error(node.location, item, "\"accept bearer\" needs both issuer=URL and audience=AUD")
            return nil
        }
        return BearerConfig(issuer: issuer, audience: audience)
    }

    /// `identity_assertion on|off;` and `identity_assertion_key FILE;` at the top level.
    mutating func applyIdentityAssertion(_ top: ScreenedBlock, to config: inout GatewayConfiguration) {
        if let node = top.first("identity_assertion") {
            config.identityAssertion = boolean(node) ?? false
        }
        if let node = top.first("identity_assertion_key") {
            let path = node.args[0]
            if let problem = ConfigFileSystem.readProblem(path.value) {
                error(path.location, nil, "\"identity_assertion_key\" \"\(path.value)\" cannot be read: \(problem)")
                return
            }
            switch ConfigFileSystem.readFile(path.value) {
            case .failure(let failure):
                error(
                    path.location, nil, "\"identity_assertion_key\" \"\(path.value)\" cannot be read: \(failure.reason)"
                )
            case .success(let text) where !text.contains("PRIVATE KEY-----"):
                error(path.location, nil, "\"identity_assertion_key\" \"\(path.value)\" holds no PEM private key")
            case .success:
                config.identityAssertionKeyFile = path.value
            }
        }
    }

    /// The assertion's `iss` and `aud` are the public URL: a config that turns it on needs one.
    mutating func requireAssertionSettings(_ top: ScreenedBlock, config: GatewayConfiguration) {
        let enabledAt = config.identityAssertion ? top.first("identity_assertion")?.location : nil
        let location = enabledAt ?? config.locations.first { $0.identityAssertion == true }?.location
        guard let location, config.publicURL == nil else { return }
        error(location, nil, "\"identity_assertion on\" needs \"public_url\" (the assertion's iss and aud)")
    }
}
