/// An image format recognised by its first bytes, never by the Content-Type header alone.
public enum ImageKind: String, Sendable, Hashable, CaseIterable {
    case jpeg, png, gif, webp

    /// Bytes needed to tell the formats apart.
    public static let sniffLength = 12

    /// The format of a body starting with `head`, or nil when it is not an image we accept.
    public static func sniff<C: Collection>(_ head: C) -> ImageKind? where C.Element == UInt8 {
        let b = Array(head.prefix(sniffLength))
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return .gif }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }

    /// The MIME type.
    public var contentType: String { "image/\(rawValue)" }

    /// The file extension used in blob names.
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
}
