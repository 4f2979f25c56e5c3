// The `tenant` of a `microsoft` provider: which Entra ID accounts may sign in.

/// The accepted forms of `tenant`. How each is checked against issuers is GatewayAuth's
/// `MicrosoftTenant.issuerPolicy(base:)`.
public enum MicrosoftTenant: Sendable, Hashable {
    /// Work, school and personal accounts (multi-tenant).
    case common
    /// Work and school accounts only (multi-tenant).
    case organizations
    /// Personal accounts only.
    case consumers
    /// A tenant id (GUID), lowercased: single-tenant.
    case id(String)
    /// A verified domain of the tenant, lowercased: single-tenant.
    case domain(String)

    /// What `tenant` must be, for messages.
    public static let rule =
        "\"tenant\" must be \"common\", \"organizations\", \"consumers\", a tenant id (GUID) or a domain name"

    /// Parses the option; nil when it is none of the accepted forms. Names are case-insensitive.
    public init?(_ option: String) {
        let value = option.lowercased()
        switch value {
        case "common": self = .common
        case "organizations": self = .organizations
        case "consumers": self = .consumers
        default:
            if Self.isGUID(value) {
                self = .id(value)
            } else if Self.isDomainName(value) {
                self = .domain(value)
            } else {
                return nil
            }
        }
    }

    /// The path segment in Microsoft's URLs.
    public var pathSegment: String {
        switch self {
        case .common: "common"
        case .organizations: "organizations"
        case .consumers: "consumers"
        case .id(let id): id
        case .domain(let domain): domain
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, as Microsoft writes tenant ids.
    public static func isGUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex =
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                guard isHex else { return false }
            }
        }
        return true
    }

    /// Letters, digits and inner hyphens in two or more dot-separated labels: nothing that
    /// could change the URL it is put in.
    private static func isDomainName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
            else { return false }
            return bytes.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            }
        }
    }
}
