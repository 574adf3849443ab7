import CCurl
import Foundation

/// TLS files for a libcurl request: the CA to trust and an optional client certificate.
struct TLSFiles: Sendable {
    var caPath: String
    var certPath: String?
    var keyPath: String?
}

/// One libcurl transfer on its own thread whose body arrives line by line, for reading watch streams
/// incrementally; also used for single TLS requests (read every line, then the end).
final class CurlStream: @unchecked Sendable {
    /// How the transfer ended: libcurl's result code (0 = clean end of the body) and the HTTP status.
    struct End: Sendable {
        let curlCode: UInt32
        let status: Int
        var clean: Bool { curlCode == CURLE_OK.rawValue }
    }

    private let condition = NSCondition()
    private var lines: [String] = []
    private var partial = Data()
    private var ended: End?
    private var cancelled = false
    private(set) var body = Data()
    private var headerLines: [String] = []

    /// Starts a request; the body is read as it arrives.
    init(url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil, tls: TLSFiles? = nil) {
        let thread = Thread { [self] in self.run(url: url, method: method, headers: headers, body: body, tls: tls) }
        thread.start()
    }

    /// The next complete line, waiting at most `timeout`; nil when none came (or the stream ended).
    func nextLine(timeout: Duration = .seconds(5)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (line, done): (String?, Bool) = condition.withLock {
                lines.isEmpty ? (nil, ended != nil) : (lines.removeFirst(), false)
            }
            if let line { return line }
            // Looked once more after the deadline: a stalled machine delays a line, it does not lose it.
            if done || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The next event's type and object, waiting at most `timeout`.
    func nextEvent(timeout: Duration = .seconds(5)) async -> (type: String, object: [String: Any])? {
        guard let line = await nextLine(timeout: timeout),
              let json = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
              let type = json["type"] as? String else { return nil }
        return (type, json["object"] as? [String: Any] ?? [:])
    }

    /// Waits for the transfer to end; nil if it has not ended within `timeout`.
    func end(timeout: Duration = .seconds(5)) async -> End? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let ended = condition.withLock({ ended }) { return ended }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The response's header lines so far ("Name: value", without the status line), in the order received.
    var headers: [String] { condition.withLock { headerLines } }

    /// Aborts the transfer (within about a second).
    func close() {
        condition.withLock { cancelled = true }
    }

    private func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        condition.withLock {
            body.append(contentsOf: bytes)
            partial.append(contentsOf: bytes)
            while let newline = partial.firstIndex(of: 0x0A) {
                lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                partial = Data(partial[partial.index(after: newline)...])
            }
            return !cancelled
        }
    }

    private func appendHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        condition.withLock {
            if line.hasPrefix("HTTP/") { headerLines.removeAll() } else if !line.isEmpty { headerLines.append(line) }
        }
    }

    private var isCancelled: Bool { condition.withLock { cancelled } }

    private func run(url: String, method: String, headers: [String: String], body: Data?, tls: TLSFiles?) {
        guard let handle = curl_easy_init() else {
            condition.withLock { ended = End(curlCode: CURLE_FAILED_INIT.rawValue, status: 0) }
            return
        }
        defer { curl_easy_cleanup(handle) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        hi_easy_setopt_string(handle, CURLOPT_URL, url)
        hi_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        hi_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hi_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 60_000)
        hi_easy_setopt_string(handle, CURLOPT_PROXY, "")
        if let tls {
            hi_easy_setopt_string(handle, CURLOPT_CAINFO, tls.caPath)
            if let cert = tls.certPath { hi_easy_setopt_string(handle, CURLOPT_SSLCERT, cert) }
            if let key = tls.keyPath { hi_easy_setopt_string(handle, CURLOPT_SSLKEY, key) }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers { list = curl_slist_append(list, "\(name): \(value)") }
        defer { curl_slist_free_all(list) }
        hi_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        hi_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let stream = Unmanaged<CurlStream>.fromOpaque(context!).takeUnretainedValue()
            let keepGoing = stream.append(UnsafeRawBufferPointer(start: data, count: size * count))
            return keepGoing ? size * count : 0
        }
        hi_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        hi_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            Unmanaged<CurlStream>.fromOpaque(context!).takeUnretainedValue()
                .appendHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        hi_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        hi_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        hi_easy_setopt_xferinfo_callback(handle) { context, _, _, _, _ in
            Unmanaged<CurlStream>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        hi_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        let payload = body ?? Data()
        if body != nil { hi_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, payload.count) }
        let code: CURLcode = payload.withUnsafeBytes { raw in
            if body != nil { hi_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress)) }
            return curl_easy_perform(handle)
        }
        var status = 0
        hi_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        condition.withLock {
            if !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
            ended = End(curlCode: code.rawValue, status: status)
        }
    }
}
