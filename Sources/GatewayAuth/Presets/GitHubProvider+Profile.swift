// GitHub's REST calls after the token: /user, /user/emails, /user/orgs and /user/teams, into a VerifiedIdentity.

extension GitHubProvider {
    /// `/user` → `/user/emails` → (`/user/orgs`) → (`/user/teams`), one after another. Completes
    /// once, on `queue`. A membership list that cannot be read fails the sign-in: a `deny` rule
    /// must never pass because its list came back empty.
    func fetchIdentity(token: OAuth2AccessToken, completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void) {
        if readsOrganizations || readsTeams, let granted = token.grantedScopes,
            !granted.contains(Self.organizationScope)
        {
            // The user (or an org's app policy) cut the scope: only public memberships show.
            logger?.warning(
                "GitHub granted no read:org; only public organisation memberships are visible",
                metadata: ["provider": "\(name)"])
        }
        api("/user", token: token) { result in
            let profile: JSONValue
            switch result {
            case .failure(let error): return completion(.failure(error))
            case .success(let response): profile = response.json
            }
            guard let subject = OAuth2ClaimMapping.string(profile["id"]) else {
                return completion(.failure(.userinfoFailed("/user: no \"id\" member")))
            }
            var identity = VerifiedIdentity(
                provider: self.name, subject: subject, login: profile["login"]?.stringValue,
                name: profile["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
            self.list("/user/emails", token: token) { emails in
                switch emails {
                case .success(let emails):
                    if let primary = Self.primaryVerifiedEmail(emails) {
                        identity.email = primary
                        identity.emailVerified = true
                    }
                case .failure(let error):
                    // Without `user:email` (a narrowed `scopes`), GitHub answers 404 here.
                    self.logger?.info(
                        "GitHub emails unavailable; the public email stays unverified",
                        metadata: ["provider": "\(self.name)", "reason": "\(error)"])
                }
                if identity.email == nil, let publicEmail = profile["email"]?.stringValue, !publicEmail.isEmpty {
                    identity.email = publicEmail
                }
                self.memberships(identity, token: token, completion: completion)
            }
        }
    }

    /// The organisations, then the teams, each only when some rule reads them.
    private func memberships(
        _ identity: VerifiedIdentity, token: OAuth2AccessToken,
        completion: @escaping (Result<VerifiedIdentity, AuthError>) -> Void
    ) {
        var identity = identity
        func teams() {
            guard readsTeams else { return completion(.success(identity)) }
            list("/user/teams", token: token) { teams in
                completion(
                    teams.map { teams in
                        identity.teams = teams.compactMap(Self.teamName)
                        return identity
                    })
            }
        }
        guard readsOrganizations else { return teams() }
        list("/user/orgs", token: token) { orgs in
            switch orgs {
            case .failure(let error): completion(.failure(error))
            case .success(let orgs):
                identity.organizations = orgs.compactMap { $0["login"]?.stringValue?.lowercased() }
                teams()
            }
        }
    }

    /// `org/team` lowercased, from a `/user/teams` item's `organization.login` and `slug`.
    static func teamName(_ team: JSONValue) -> String? {
        guard let org = team["organization"]?["login"]?.stringValue, let slug = team["slug"]?.stringValue,
            !org.isEmpty, !slug.isEmpty
        else { return nil }
        return (org + "/" + slug).lowercased()
    }

    /// The primary email, if GitHub marks it verified. Secondary emails, verified or not, are not
    /// the account's address of record, and an unverified primary must never link accounts.
    static func primaryVerifiedEmail(_ emails: [JSONValue]) -> String? {
        emails.first { $0["primary"]?.boolValue == true && $0["verified"]?.boolValue == true }?["email"]?.stringValue
    }

    /// One call to `path` under the API base.
    private func api(
        _ path: String, token: OAuth2AccessToken,
        completion: @escaping (Result<OAuth2Client.APIResponse, AuthError>) -> Void
    ) {
        getJSON(apiURL + path, label: path, token: token, completion: completion)
    }

    private func getJSON(
        _ url: String, label: String, token: OAuth2AccessToken,
        completion: @escaping (Result<OAuth2Client.APIResponse, AuthError>) -> Void
    ) {
        client.getJSON(
            url, token: token, label: label, accept: Self.mediaType, headers: [Self.apiVersionHeader],
            completion: completion)
    }

    /// Every item of a paged list, following `Link: rel="next"` only within the API base, so the
    /// token is never sent elsewhere, and for at most `maxPages` pages.
    private func list(
        _ path: String, token: OAuth2AccessToken, completion: @escaping (Result<[JSONValue], AuthError>) -> Void
    ) {
        func page(_ url: String, number: Int, collected: [JSONValue]) {
            getJSON(url, label: path, token: token) { result in
                switch result {
                case .failure(let error): completion(.failure(error))
                case .success(let response):
                    guard let items = response.json.arrayValue else {
                        return completion(.failure(.userinfoFailed("\(path): response is not a JSON array")))
                    }
                    let all = collected + items
                    if number < Self.maxPages, let next = OAuth2Client.nextLink(response.response.header("Link")),
                        next.hasPrefix(self.apiURL + "/")
                    {
                        page(next, number: number + 1, collected: all)
                    } else {
                        completion(.success(all))
                    }
                }
            }
        }
        page(apiURL + path + "?per_page=100", number: 1, collected: [])
    }
}
