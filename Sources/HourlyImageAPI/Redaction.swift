import Foundation

/// What may be shown of user-supplied text where others can read it: URLs without their secrets, log values that
/// cannot start a new line.
public enum Redaction {
    /// The URL with its userinfo and every query value replaced by `***` (query names and everything else kept), for
    /// pages, logs and status messages; the resource itself keeps the real URL.
    public static func url(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = String(afterScheme[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = "***" + authority[at...] }
        var rest = String(afterScheme[authorityEnd...])
        if let question = rest.firstIndex(of: "?") {
            let fragmentStart = rest[question...].firstIndex(of: "#") ?? rest.endIndex
            let query = rest[rest.index(after: question)..<fragmentStart]
            let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
                return pair[..<equals] + "=***"
            }.joined(separator: "&")
            rest = rest[..<question] + "?" + redacted + rest[fragmentStart...]
        }
        return text[..<schemeEnd.upperBound] + authority + rest
    }

    /// The text with control characters escaped (`\n`, `\r`, `\t`, `\u{7F}` …), so a value can never begin a new log
    /// line or rewrite the one it is on.
    public static func logValue(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
