import Foundation
import HourlyImageAPI

/// The images a resource has served, newest first: what the history page shows, kept in `history.json` beside the
/// blobs. The controller records each image as it becomes current; the page shows those still on the volume.
public struct ImageHistory: Codable, Sendable, Hashable {
    /// One served image.
    public struct Entry: Codable, Sendable, Hashable {
        public var file: String
        public var sha256: String
        public var bytes: Int64
        public var contentType: String
        public var picsumID: String?
        public var author: String?
        public var authorURL: String?
        public var fetchedAt: Timestamp
        /// When it became current.
        public var servedSince: Timestamp
        /// When the next image replaced it; nil while it is current.
        public var servedUntil: Timestamp?

        /// The entry for an image that became current at `since`.
        public init(_ image: ImageRecord, since: Timestamp) {
            file = image.file
            sha256 = image.sha256
            bytes = image.bytes
            contentType = image.contentType
            picsumID = image.picsumID
            author = image.author
            authorURL = image.authorURL
            fetchedAt = image.fetchedAt
            servedSince = since
        }
    }

    /// The format version.
    public var version = 1
    /// Newest first.
    public var entries: [Entry]

    /// Creates a history.
    public init(entries: [Entry] = []) { self.entries = entries }

    /// The most entries a history keeps, whatever `spec.keep` says (the CRD allows up to 1,000).
    public static let maximumEntries = 1000

    /// The history after `current` became the served image, keeping `keep` entries; nil when it already leads.
    public func recording(_ current: ImageRecord, keep: Int) -> ImageHistory? {
        let since = current.servedSince ?? current.fetchedAt
        if let head = entries.first, head.sha256 == current.sha256, head.servedSince == since { return nil }
        var next = self
        if !next.entries.isEmpty, next.entries[0].servedUntil == nil { next.entries[0].servedUntil = since }
        next.entries.insert(Entry(current, since: since), at: 0)
        next.entries = Array(next.entries.prefix(min(max(1, keep), Self.maximumEntries)))
        return next
    }

    /// Reads a history index; nil for anything that is not one (a damaged file is rebuilt from the next image).
    public static func decode(_ data: Data) -> ImageHistory? {
        guard var history = try? JSONDecoder().decode(ImageHistory.self, from: data), history.version == 1 else { return nil }
        history.entries = Array(history.entries.prefix(maximumEntries))
        return history
    }

    /// The index's bytes: sorted keys, one file a person can read.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
