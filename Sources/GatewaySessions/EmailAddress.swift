// The one shape of email address the gateway links, authorizes and sends upstream.

/// Pure: normalises a provider's email claim, or refuses it. A refused address counts as no
/// email at all: it never links accounts, never matches `allow email`/`allow email_domain`,
/// is never sent upstream and is stored as absent.
///
/// Refused: anything outside printable ASCII, including every non-ASCII character. That
/// covers the addresses NFKC would fold into other ones (full-width `＠` U+FF20, full-width
/// letters, ligatures such as `ﬁ`), since NFKC changes only non-ASCII text, and also the
/// ones NFKC leaves alone but that look like another address (Cyrillic `а` in `exаmple.com`).
/// Internationalised addresses are given up on purpose: authorization compares exact bytes,
/// and two spellings that a person reads as the same must never be two identities.
/// Also refused: spaces, controls, DEL, quotes and the other RFC 5322 specials, more or fewer
/// than one `@`, an empty local part or domain, and dots at the edges or doubled. A domain
/// without a dot (`alice@localhost`) is kept: intranet providers use them, and a rule only
/// matches what it names.
///
/// Kept addresses are ASCII-lowercased, the only case folding the gateway does on emails.
/// The local part is lowercased too: providers treat it case-insensitively in practice, and
/// one spelling per address keeps the `email:` index and the rules simple.
public enum EmailAddress {
    /// The lowercased address, or nil when it is refused (see the type's documentation).
    public static func normalized(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        var at: Int?
        for byte in raw.utf8 {
            guard byte >= 0x21, byte <= 0x7E, !specials.contains(byte) else { return nil }
            if byte == UInt8(ascii: "@") {
                guard at == nil else { return nil }
                at = out.count
            }
            out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        guard let at else { return nil }
        let local = out[..<at]
        let domain = out[(at + 1)...]
        guard isDotAtom(local), isDotAtom(domain), domain.allSatisfy(isDomainByte) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 5322 specials and the quote: never part of a plain `local@domain`.
    private static let specials: Set<UInt8> = Set("\"(),:;<>[\\]".utf8)

    /// Not empty, no dot at either end, no two dots in a row.
    private static func isDotAtom(_ part: ArraySlice<UInt8>) -> Bool {
        guard let first = part.first, let last = part.last else { return false }
        let dot = UInt8(ascii: ".")
        guard first != dot, last != dot else { return false }
        return !zip(part, part.dropFirst()).contains { $0 == dot && $1 == dot }
    }

    /// Lowercase letters (the input is lowercased by now), digits, `-` and `.`.
    private static func isDomainByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}
