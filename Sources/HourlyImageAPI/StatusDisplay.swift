/// The short texts `kubectl get hourlyimages` prints, derived from the rest of the status.
///
/// Every text is bounded and free of control characters and secrets, whatever the source URL or
/// the source's headers held, so a hostile server cannot break or flood the table.
public enum StatusDisplay {
    /// Longest image label (`status.imageLabel`), in characters.
    public static let maximumLabelLength = 40
    /// Longest redacted URL (`status.redactedSourceURL`), in characters.
    public static let maximumURLLength = 120
    /// Hex digits of `status.shortSHA256`, as many as `git log --oneline` prints and then some.
    public static let shortSHA256Length = 12

    /// "used/allowed", e.g. `1/3`; `used` is clamped to 0...allowed, as the Fresh condition's message is.
    public static func graceUsage(used: Int, allowed: Int) -> String {
        let allowed = max(0, allowed)
        return "\(min(max(0, used), allowed))/\(allowed)"
    }

    /// `picsum/237` when the Lorem Picsum id is known, else the last path segment of the URL the image
    /// came from (`cat.jpg`), else that URL's host, else the short SHA-256.
    public static func imageLabel(_ image: ImageRecord) -> String {
        if let id = image.picsumID, !id.isEmpty { return bounded("picsum/" + id, maximumLabelLength) }
        guard let url = image.sourceURL ?? image.requestedURL, let parts = URLParts(url) else {
            return shortSHA256(image.sha256)
        }
        let label = parts.lastPathSegment ?? parts.host
        return label.isEmpty ? shortSHA256(image.sha256) : bounded(label, maximumLabelLength)
    }

    /// The URL with userinfo and query values as `***` (`Redaction.url`), control characters escaped, bounded.
    public static func url(_ text: String) -> String {
        bounded(Redaction.url(text), maximumURLLength)
    }

    /// The first `shortSHA256Length` characters of a SHA-256 (escaped and bounded, for a hand-edited status).
    public static func shortSHA256(_ sha256: String) -> String {
        bounded(String(sha256.prefix(shortSHA256Length)), shortSHA256Length)
    }

    /// The text with control characters escaped, cut to `limit` Unicode scalars (what the API server's
    /// `maxLength` counts) with a trailing `…`.
    static func bounded(_ text: String, _ limit: Int) -> String {
        let safe = Redaction.logValue(scalars(text, limit * 8))
        guard safe.unicodeScalars.count > limit else { return safe }
        return scalars(safe, max(0, limit - 1)) + "…"
    }

    private static func scalars(_ text: String, _ count: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(count))
        return String(view)
    }
}

/// The host and last path segment of an absolute URL, found without a URL parser (hostile input).
struct URLParts {
    /// The host, with any port, without userinfo.
    let host: String
    /// The last non-empty path segment, or nil for `/` or no path.
    let lastPathSegment: String?

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        host = String(authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority)
        let rest = afterScheme[authorityEnd...]
        let path = rest[..<(rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        lastPathSegment = path.split(separator: "/").last.map(String.init)
    }
}
