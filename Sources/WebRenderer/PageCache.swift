import Foundation
import HourlyImageAPI
import NIOCore
import Synchronization

/// Each resource's page, rendered once per change of the resource or of its phase (fresh, expired) and kept as a
/// shared buffer; a view adds only the refresh tag, the one part that depends on the time.
final class PageCache: Sendable {
    private struct Entry {
        let resource: HourlyImage
        let expired: Bool
        let document: ByteBuffer
    }

    /// At most this many resources' pages are kept; past it the cache starts over (a page is cheap to render again).
    static let capacity = 4096
    private static let head = ByteBuffer(string: ImagePage.head)
    private let entries = Mutex<[ResourceKey: Entry]>([:])
    private let renders = Atomic<Int>(0)

    /// How many documents were rendered (each change of a resource or of its phase renders one).
    var renderCount: Int { renders.load(ordering: .relaxed) }

    /// The page of `resource` at `now`, as `ImagePage.render` writes it.
    func page(_ resource: HourlyImage, now: Date) -> ByteBuffer {
        let key = ResourceKey(resource)
        let expired = ImagePage.isExpired(resource, now: now)
        let cached = entries.withLock { entries -> ByteBuffer? in
            guard let entry = entries[key], entry.expired == expired, entry.resource == resource else { return nil }
            return entry.document
        }
        let document = cached ?? render(resource, key: key, expired: expired)
        let tag = ImagePage.refreshTag(ImagePage.reloadAfter(resource, now: now))
        var page = ByteBuffer()
        page.reserveCapacity(Self.head.readableBytes + tag.utf8.count + document.readableBytes)
        page.writeImmutableBuffer(Self.head)
        page.writeString(tag)
        page.writeImmutableBuffer(document)
        return page
    }

    private func render(_ resource: HourlyImage, key: ResourceKey, expired: Bool) -> ByteBuffer {
        let document = ByteBuffer(string: ImagePage.document(resource, expired: expired))
        renders.add(1, ordering: .relaxed)
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(resource: resource, expired: expired, document: document)
        }
        return document
    }
}
