// One validated `provider NAME { ... }` block: its name, button text and typed settings.

public enum ProviderType: String, Sendable, Hashable, CaseIterable {
    case github, google, facebook, gitlab, microsoft, twitter, oidc, oauth2
}

public struct ProviderConfig: Sendable, Hashable {
    /// The block's name: `provider NAME { ... }`; used in URLs (`/auth/NAME`).
    public var name: String
    /// `display_name "Text";` — the button text; default from the preset or the name.
    public var displayName: String
    /// What the block's type needs, every default filled in (see `ProviderSettings`).
    public var settings: ProviderSettings
    /// `ca_file PATH;` — PEM certificates that replace the system CAs for this provider's calls
    /// (verification stays on). Checked readable at validation.
    public var caFile: String?
    public var location: SourceLocation

    public init(
        name: String, displayName: String, settings: ProviderSettings, caFile: String? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.displayName = displayName
        self.settings = settings
        self.caFile = caFile
        self.location = location
    }

    /// `type ...;` — defaults to the name when the name is a preset (`github`, `twitter`, ...).
    public var type: ProviderType { settings.type }
    /// For `twitter`: whether `type oauth2` selected OAuth 2.0 (the default is OAuth 1.0a).
    public var useOAuth2: Bool {
        if case .twitterOAuth2 = settings { true } else { false }
    }
}
