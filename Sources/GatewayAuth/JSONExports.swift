// JOSE, OIDC, OAuth 2 and the presets read JSON through GatewayJSON's `JSONValue`; re-exported so
// each provider file need not import it.
@_exported import GatewayJSON
