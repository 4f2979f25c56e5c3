// How our verdict on one case relates to llhttp's: agree, stricter (we reject more), lenient, or a mismatch.

enum DifferentialOutcome: Equatable {
    case agree
    /// We rejected where llhttp accepted or had not decided yet.
    case stricter(ourError: String)
    /// We accepted (or kept waiting) where llhttp rejected: a bug.
    case lenient(String)
    /// llhttp rejected at a byte while we were still waiting for the line to end; ending the line
    /// (appending CRLF CRLF) makes us reject too, with the same messages before it.
    case rejectsAtLineEnd
    /// Both accepted but disagree on the framing, or on where a message ends.
    case mismatch(String)

    /// Compares, and for a case where we are still waiting while llhttp has rejected, checks that we
    /// reject once the line ends.
    init(bytes: [UInt8], llhttp theirs: DifferentialVerdict) {
        let ours = DifferentialVerdict.ours(bytes)
        self.init(ours: ours, llhttp: theirs)
        guard case .lenient = self, ours.state == "incomplete" else { return }
        let ended = DifferentialVerdict.ours(bytes + [0x0D, 0x0A, 0x0D, 0x0A])
        if ended.state == "error", ended.messages.count == ours.messages.count { self = .rejectsAtLineEnd }
    }

    init(ours: DifferentialVerdict, llhttp theirs: DifferentialVerdict) {
        var ours = ours
        // llhttp stops at any Upgrade; what follows is a tunnel to it, so compare only up to there.
        if let last = theirs.messages.last, last.upgrade, ours.messages.count >= theirs.messages.count {
            ours.messages = Array(ours.messages.prefix(theirs.messages.count))
            ours.state = theirs.state
            ours.error = nil
        }
        for (o, t) in zip(ours.messages, theirs.messages) where !o.sameFraming(t) {
            self = .mismatch("ours \(o) vs llhttp \(t)")
            return
        }
        let ourError = ours.error ?? ""
        let counts =
            "ours \(ours.messages.count) message(s) then \(ours.state) \(ourError), llhttp "
            + "\(theirs.messages.count) then \(theirs.state) \(theirs.error ?? "")"
        if ours.messages.count < theirs.messages.count {
            self = ours.state == "error" ? .stricter(ourError: ourError) : .mismatch(counts)
        } else if ours.messages.count > theirs.messages.count {
            self = theirs.state == "error" ? .lenient(counts) : .mismatch(counts)
        } else if ours.state == theirs.state {
            self = .agree
        } else if ours.state == "error" {
            self = .stricter(ourError: ourError)
        } else if theirs.state == "error" {
            self = .lenient(counts)
        } else {
            self = .mismatch(counts)
        }
    }

    var kind: String {
        switch self {
        case .agree: return "agree"
        case .stricter: return "stricter"
        case .lenient: return "lenient"
        case .rejectsAtLineEnd: return "rejects-at-line-end"
        case .mismatch: return "mismatch"
        }
    }
}
