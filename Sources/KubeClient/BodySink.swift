import CCurl
import Foundation
import Synchronization

/// Receives one transfer's headers and body on its libcurl thread.
///
/// For a watch it decodes lines and yields them; a non-2xx watch response is collected and
/// turned into a `KubeAPIError` at the end. `cancel()` may be called from any thread.
final class BodySink: @unchecked Sendable {
    var body = Data()
    var headers: [String: String] = [:]
    var streaming: AsyncThrowingStream<Data, any Error>.Continuation?
    var idleTimeout: Double = 0
    /// Bytes of a buffered (non-watch, or failed watch) body accepted before the transfer is aborted.
    var maximumBodyBytes = Int.max
    /// Set when the body passed `maximumBodyBytes`.
    private(set) var bodyTooLarge = false
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var decoder = LineDecoder()
    private var status = 0
    private var decodeError: (any Error)?
    private var idled = false
    private let cancelled = Atomic<Bool>(false)
    private let lastData = Atomic<Int64>(0)

    init() {
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        lastData.store(Self.nowMillis(), ordering: .relaxed)
    }

    deinit { errorBuffer.deallocate() }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        } else if let colon = line.firstIndex(of: ":") {
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Returns false to abort the transfer.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if cancelled.load(ordering: .relaxed) { return false }
        lastData.store(Self.nowMillis(), ordering: .relaxed)
        guard let streaming, (200..<300).contains(status) else {
            guard body.count <= maximumBodyBytes - bytes.count else {
                bodyTooLarge = true
                return false
            }
            body.append(contentsOf: bytes)
            return true
        }
        do {
            for line in try decoder.feed(bytes) { streaming.yield(line) }
            return true
        } catch {
            decodeError = error
            return false
        }
    }

    /// Progress callback: false aborts (cancelled, or idle longer than `idleTimeout`).
    func keepGoing() -> Bool {
        if cancelled.load(ordering: .relaxed) { return false }
        if idleTimeout > 0, Double(Self.nowMillis() - lastData.load(ordering: .relaxed)) / 1000 > idleTimeout {
            idled = true
            return false
        }
        return true
    }

    /// Ends a watch stream with the right outcome.
    func finish(code: CURLcode, status: Int) {
        guard let streaming else { return }
        if cancelled.load(ordering: .relaxed) {
            streaming.finish()
        } else if let decodeError {
            streaming.finish(throwing: decodeError)
        } else if idled {
            streaming.finish(throwing: KubeAPIError.transport("no data from the watch for \(Int(idleTimeout)) s; the connection is presumed dead"))
        } else if status != 0, !(200..<300).contains(status) {
            streaming.finish(throwing: KubeAPIError.from(status: status, body: body, retryAfter: headers["retry-after"]))
        } else if code != CURLE_OK {
            streaming.finish(throwing: KubeAPIError.transport(errorText(code)))
        } else {
            streaming.finish()
        }
    }

    func errorText(_ code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
    }

    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
