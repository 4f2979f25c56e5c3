-- deploy/soak's requests: the session cookie from SOAK_COOKIE, and Accept: application/json so
-- that a session that stopped working answers 401 (which wrk counts as an error) rather than a
-- 302 to the sign-in page (which wrk would count as a success).
wrk.headers["Cookie"] = "__gateway=" .. os.getenv("SOAK_COOKIE")
wrk.headers["Accept"] = "application/json"
