// What the account page shows, worked out once for its HTML and its JSON.
import GatewayAuth
import GatewaySessions

struct AccountView {
    struct Identity {
        var linked: LinkedIdentity
        var displayName: String
        /// Every identity but the last may go.
        var canUnlink: Bool
        /// The current session was signed in with it: unlinking it signs this browser out.
        var signsOutHere: Bool
        var unlinkAction: String
    }

    struct Linkable {
        var provider: String
        var displayName: String
        var href: String
    }

    struct Session {
        var handle: String
        var provider: String
        var providerDisplayName: String
        var createdAt: Int64
        var lastSeenAt: Int64
        var expiresAt: Int64
        var clientAddress: String?
        var isCurrent: Bool
        var signOutAction: String
    }

    var userID: String
    /// Who the page greets: the name, else the email, else the login.
    var displayName: String
    var email: String?
    var identities: [Identity]
    var linkable: [Linkable]
    var sessions: [Session]
    var signOutOthersAction: String

    init(
        user: UserRecord, current: (id: SessionID, record: SessionRecord), sessions stored: [StoredSession],
        providers: [SignInProvider], prefix: String, handles: SessionHandles
    ) {
        let here = HTTPText.encode(prefix + "/account")
        func display(_ name: String) -> String { providers.first { $0.name == name }?.displayName ?? name }
        userID = user.id
        email = user.email ?? current.record.verifiedEmail
        displayName = user.name ?? current.record.name ?? email ?? current.record.login ?? user.id
        identities = user.identities.map { identity in
            Identity(
                linked: identity, displayName: display(identity.provider), canUnlink: user.identities.count > 1,
                signsOutHere: identity.provider == current.record.provider
                    && identity.subject == current.record.subject,
                unlinkAction: prefix + "/identities/" + HTTPText.encode(identity.provider) + "/unlink?next=" + here)
        }
        let linked = Set(user.identities.map(\.provider))
        linkable = providers.filter { !linked.contains($0.name) }.map {
            Linkable(
                provider: $0.name, displayName: $0.displayName, href: prefix + "/" + $0.name + "?link=1&next=" + here)
        }
        var listed = stored
        // The store lists what it holds; the session serving this page is always shown.
        if !listed.contains(where: { $0.id == current.id }) {
            listed.append(StoredSession(id: current.id, record: current.record))
        }
        sessions = listed.map { session in
            let handle = handles.handle(session.id)
            let isCurrent = session.id == current.id
            return Session(
                handle: handle, provider: session.record.provider,
                providerDisplayName: display(session.record.provider), createdAt: session.record.createdAt,
                lastSeenAt: session.record.lastSeenAt, expiresAt: session.record.expiresAt,
                clientAddress: session.record.clientAddress, isCurrent: isCurrent,
                signOutAction: isCurrent
                    ? prefix + "/sign_out" : prefix + "/sessions/" + handle + "/sign_out?next=" + here)
        }
        signOutOthersAction = prefix + "/sessions/sign_out_others?next=" + here
    }
}
