import Foundation
import Synchronization

/// Fans values out to any number of subscribers, each an `AsyncStream`; a finished stream unsubscribes itself.
/// The one broadcaster behind the reflector's key changes, the local store's changes and leadership changes.
public final class Broadcast<Element: Sendable>: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<Element>.Continuation]>([:])

    /// Creates a broadcaster with no subscribers.
    public init() {}

    /// A new subscription that receives `initial` first, then every value sent after this call.
    public func subscribe(initial: [Element] = []) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self)
        let id = UUID()
        subscribers.withLock { subscribers in
            for value in initial { continuation.yield(value) }
            subscribers[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    /// Sends `value` to every subscriber.
    public func send(_ value: Element) {
        subscribers.withLock { subscribers in
            for subscriber in subscribers.values { subscriber.yield(value) }
        }
    }

    /// The number of live subscriptions.
    public var count: Int { subscribers.withLock { $0.count } }
}
