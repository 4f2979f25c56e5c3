// `post_logout_redirect PATH;`: the gateway's own page a provider returns the browser to.

extension ConfigValidator {
    /// A path on this site (it is joined to `public_url`): one leading "/", no "//" or "\\"
    /// start, no scheme, fragment, spaces or control characters.
    mutating func postLogoutRedirect(_ arg: ConfigArgument) -> String? {
        let value = arg.value
        let bad = value.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "#" || $0 == "\\" }
        guard value.hasPrefix("/"), !value.hasPrefix("//"), !bad else {
            error(
                arg.location, nil,
                "\"post_logout_redirect\" must be a path on this site like /auth/sign_in, got \"\(value)\"")
            return nil
        }
        return value
    }
}
