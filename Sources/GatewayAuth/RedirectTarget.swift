// `next`: where to send the browser after sign-in. Only a relative path on this site is allowed.
import GatewayHTTP

public enum RedirectTarget {
    /// `candidate` when it is a path on this site, else "/". Rejects scheme-relative (`//host`),
    /// backslash tricks (`/\host`), schemes (`javascript:`), control characters and whitespace,
    /// and the same things hidden behind percent-encoding (`/%2F%2Fhost`, `/%09/host`).
    public static func sanitize(_ candidate: String?) -> String {
        guard let candidate, isSafe(candidate) else { return "/" }
        return candidate
    }

    public static func isSafe(_ candidate: String) -> Bool {
        let bytes = Array(candidate.utf8)
        guard bytes.count <= 2048, isSafePath(bytes, decoded: false) else { return false }
        // Browsers and servers decode; what the decoded form means must be just as safe.
        guard let decoded = PercentEncoding.decode(bytes) else { return false }
        return isSafePath(decoded, decoded: true)
    }

    private static func isSafePath(_ b: [UInt8], decoded: Bool) -> Bool {
        guard let first = b.first, first == 0x2F else { return false }  // must start with "/"
        if b.count > 1 && (b[1] == 0x2F || b[1] == 0x5C) { return false }  // "//" or "/\"
        for c in b {
            // Controls (browsers drop tab and newlines, turning "/\t/x" into "//x"), DEL and
            // backslash (some browsers read it as "/"). As sent, also space and non-ASCII.
            if c < 0x20 || c == 0x7F || c == 0x5C { return false }
            if !decoded && (c == 0x20 || c >= 0x80) { return false }
        }
        return true
    }
}
