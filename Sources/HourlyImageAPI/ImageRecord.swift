/// One image on the volume as the status describes it (`status.current` or `status.pending`).
public struct ImageRecord: Sendable, Hashable, Codable {
    /// Path relative to the volume root: `<namespace>/<name>/blobs/<sha256>.<ext>`.
    public var file: String
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    /// Size in bytes.
    public var bytes: Int64
    /// The content type found from the bytes (`image/jpeg`, `image/png`, …).
    public var contentType: String
    /// The `spec.url` this image was fetched for; a different `spec.url` means a new image is due.
    public var requestedURL: String?
    /// The URL the bytes came from, after redirects.
    public var sourceURL: String?
    /// The Lorem Picsum id, when the source is Lorem Picsum.
    public var picsumID: String?
    /// The photographer, when known.
    public var author: String?
    /// A link to the photographer's page, when known.
    public var authorURL: String?
    /// When the download finished.
    public var fetchedAt: Timestamp
    /// When the image became `current`; the TTL counts from here.
    public var servedSince: Timestamp?
    /// `servedSince + ttl`.
    public var expiresAt: Timestamp?

    /// Creates a record.
    public init(
        file: String, sha256: String, bytes: Int64, contentType: String, requestedURL: String? = nil,
        sourceURL: String? = nil, picsumID: String? = nil, author: String? = nil, authorURL: String? = nil,
        fetchedAt: Timestamp, servedSince: Timestamp? = nil, expiresAt: Timestamp? = nil
    ) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.contentType = contentType
        self.requestedURL = requestedURL
        self.sourceURL = sourceURL
        self.picsumID = picsumID
        self.author = author
        self.authorURL = authorURL
        self.fetchedAt = fetchedAt
        self.servedSince = servedSince
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case file, sha256, bytes, contentType, requestedURL, sourceURL, picsumID, author, authorURL
        case fetchedAt, servedSince, expiresAt
    }

    /// The JSON field names of an image record, for checks against the CRD schema.
    public static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))
}
