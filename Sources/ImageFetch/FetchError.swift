import BlobStore
import HourlyImageAPI

/// Why an image fetch failed. The `ImageSource` conformance maps each case onto a condition reason.
public enum FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Could not connect, resolve, or the connection broke.
    case sourceUnreachable(url: String, detail: String)
    /// The server answered an error status.
    case httpStatus(Int, url: String)
    /// More redirects than allowed, or a loop.
    case tooManyRedirects(url: String, limit: Int)
    /// The body is not a JPEG, PNG, GIF or WebP.
    case notAnImage(url: String, contentType: String?)
    /// The body is larger than the cap.
    case tooLarge(url: String, limit: Int64)
    /// The address or scheme is not allowed.
    case blocked(url: String, detail: String)
    /// The transfer took too long or stalled.
    case timeout(url: String, detail: String)
    /// The image could not be written to the volume.
    case storage(StorageError)

    /// The failure for people: the URL shown without its userinfo and query values.
    public var description: String {
        switch self {
        case .sourceUnreachable(let url, let detail):
            "cannot reach \(Redaction.url(url)): \(detail)"
        case .httpStatus(let code, let url):
            "\(Redaction.url(url)) answered HTTP \(code)\(code == 404 ? "; check spec.url" : code >= 500 ? "; the source is failing, retrying later" : "")"
        case .tooManyRedirects(let url, let limit):
            "\(Redaction.url(url)) redirected more than \(limit) times (a loop?)"
        case .notAnImage(let url, let contentType):
            "\(Redaction.url(url)) did not send a JPEG, PNG, GIF or WebP image (Content-Type: \(contentType ?? "none")); check spec.url"
        case .tooLarge(let url, let limit):
            "\(Redaction.url(url)) sent more than \(limit) bytes, the size limit"
        case .blocked(let url, let detail):
            "\(Redaction.url(url)) is not allowed: \(detail)"
        case .timeout(let url, let detail):
            "\(Redaction.url(url)) timed out: \(detail)"
        case .storage(let error):
            error.description
        }
    }
}
