import CCurl
import Foundation

/// A response as a test sees it.
public struct TestHTTPResult: Sendable {
    /// The status code.
    public var status: Int
    /// Response headers, names lowercased (the last value wins).
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A small libcurl client for tests: one request, no redirects followed, run off the concurrency pool.
public enum TestHTTPClient {
    /// Sends a request and returns the response; throws only when no response arrived.
    public static func send(
        _ url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil, timeout: Double = 10
    ) async throws -> TestHTTPResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TestHTTPResult, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try perform(url, method: method, headers: headers, body: body, timeout: timeout) })
            }
            thread.start()
        }
    }

    /// GET shorthand.
    public static func get(_ url: String, headers: [String: String] = [:]) async throws -> TestHTTPResult {
        try await send(url, headers: headers)
    }

    final class Box {
        var body = Data()
        var headers: [String: String] = [:]
    }

    static func perform(_ url: String, method: String, headers: [String: String], body: Data?, timeout: Double) throws -> TestHTTPResult {
        guard let handle = curl_easy_init() else { throw TestHTTPServerError("curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        let box = Box()
        let context = Unmanaged.passUnretained(box).toOpaque()
        hi_easy_setopt_string(handle, CURLOPT_URL, url)
        hi_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        hi_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hi_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        hi_easy_setopt_string(handle, CURLOPT_PROXY, "")
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers { list = curl_slist_append(list, "\(name): \(value)") }
        defer { curl_slist_free_all(list) }
        hi_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        let payload = body ?? Data()
        if body != nil {
            hi_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, payload.count)
        }
        hi_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
            box.body.append(UnsafeRawBufferPointer(start: data, count: size * count).bindMemory(to: UInt8.self))
            return size * count
        }
        hi_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        hi_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if let colon = line.firstIndex(of: ":") {
                box.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return size * count
        }
        hi_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        let code: CURLcode = payload.withUnsafeBytes { raw in
            if body != nil { hi_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress)) }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw TestHTTPServerError("request to \(url) failed: \(String(cString: curl_easy_strerror(code)))")
        }
        var status = 0
        hi_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return TestHTTPResult(status: status, headers: box.headers, body: box.body)
    }
}
