/// Why the last fetch failed: the `Degraded` condition's reason.
public enum FailureReason: String, Sendable, Hashable, CaseIterable {
    case sourceUnreachable = "SourceUnreachable"
    case httpError = "HTTPError"
    case notAnImage = "NotAnImage"
    case tooLarge = "TooLarge"
    case blocked = "Blocked"
    case timeout = "Timeout"
    case storageError = "StorageError"
}
