import Foundation
import Hummingbird

/// Streams a watch as newline-delimited JSON events, each written and flushed as it happens
/// (api-concepts "Efficient detection of changes"): `resourceVersion` picks the start, `allowWatchBookmarks`
/// adds periodic BOOKMARKs, `timeoutSeconds` ends the stream cleanly, a dropped watch ends without the final chunk.
struct WatchHandler {
    let store: ObjectStore
    let request: ResourceRequest
    let wantsTable: Bool
    let bookmarkInterval: Duration

    func stream() async throws(StatusError) -> Response {
        let filter = try ResourceHandler.filter(request)
        let rvText = request.query["resourceVersion"] ?? ""
        let start: ObjectStore.WatchStart = switch try ResourceHandler.resourceVersion(rvText) {
        case nil, 0?: .currentState
        case let value?: .after(value)
        }
        let bookmarks = ["true", "1"].contains(request.query["allowWatchBookmarks"] ?? "")
        let timeout = request.query["timeoutSeconds"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        let (id, events) = await store.watch(filter, from: start, bookmarks: bookmarks)
        let store = store
        let interval = bookmarkInterval
        let table = wantsTable
        let resource = request.resource
        let includeObject = request.query["includeObject"]
        let body = ResponseBody { writer in
            let helpers = Task {
                await withTaskGroup(of: Void.self) { group in
                    if bookmarks {
                        group.addTask {
                            while (try? await Task.sleep(for: interval)) != nil { await store.bookmark(id) }
                        }
                    }
                    if let timeout {
                        group.addTask {
                            if (try? await Task.sleep(for: .seconds(timeout))) != nil { await store.endWatch(id) }
                        }
                    }
                }
            }
            defer { helpers.cancel() }
            do {
                for try await event in events {
                    let shown = table ? Self.tableEvent(event, resource: resource, includeObject: includeObject) : event
                    try await writer.write(ByteBuffer(bytes: shown.line))
                }
            } catch {
                await store.removeWatcher(id)
                throw error
            }
            await store.removeWatcher(id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"], body: body)
    }

    /// An object event re-expressed as a one-row Table, as `kubectl get -w` asks for.
    static func tableEvent(_ event: WatchEvent, resource: ResourceKind, includeObject: String?) -> WatchEvent {
        guard ["ADDED", "MODIFIED", "DELETED"].contains(event.type) else { return event }
        let meta: [String: JSON] = ["resourceVersion": event.object.metadata["resourceVersion"] ?? ""]
        return WatchEvent(type: event.type, object: TableConverter.table(resource, objects: [event.object], listMeta: meta,
                                                                         includeObject: includeObject))
    }
}
