import CCurl
import CurlSupport
import Foundation
import Synchronization
import SystemSupport

/// One request to the API server.
public struct KubeRequest: Sendable {
    public var method: String
    /// Path and query, e.g. `/apis/images.dwk.dev/v1alpha1/hourlyimages?limit=500`.
    public var path: String
    public var body: Data?
    public var contentType: String?
    /// Seconds allowed for the whole request (not used for watch streams).
    public var timeout: Double

    /// Creates a request.
    public init(method: String = "GET", path: String, body: Data? = nil, contentType: String? = nil, timeout: Double = 30) {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
        self.timeout = timeout
    }
}

/// A response: status, headers (lowercased names) and body.
public struct KubeResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
}

/// Told of each request sent: its method and the response's status code, `<error>` when none came
/// (what client-go's `rest_client_requests_total` counts; keeps this module free of a metrics library).
public typealias KubeRequestObserver = @Sendable (_ method: String, _ code: String) -> Void

/// HTTP to the API server over libcurl. Every blocking call runs on its own thread, never on the
/// Swift concurrency pool; handles are reused so connections (and TLS sessions) are kept alive.
public final class KubeTransport: Sendable {
    /// The cluster this transport talks to.
    public let connection: ClusterConnection
    private let handles = Mutex<[CurlHandle]>([])
    /// The largest non-watch response body accepted; a larger one aborts the transfer (a misbehaving or hostile
    /// server must not make the controller buffer without bound). Watch lines have their own cap.
    public let maximumResponseBytes: Int

    /// The default cap: 64 MiB, far above a page of HourlyImages, far below the memory a pod has.
    public static let defaultMaximumResponseBytes = 64 << 20
    /// Told of every request's outcome, watches included.
    let observer: KubeRequestObserver?

    /// Creates a transport.
    public init(
        connection: ClusterConnection, maximumResponseBytes: Int = KubeTransport.defaultMaximumResponseBytes, observer: KubeRequestObserver? = nil
    ) {
        self.connection = connection
        self.maximumResponseBytes = max(1, maximumResponseBytes)
        self.observer = observer
    }

    deinit {
        for handle in handles.withLock({ $0 }) { curl_easy_cleanup(handle.raw) }
    }

    /// Sends a request and returns any HTTP response (errors are the caller's to classify).
    /// After a 401 the credential is renewed once (a rotated token file re-read, an exec plugin re-run) and the
    /// request sent again; a second 401 is returned.
    public func send(_ request: KubeRequest) async throws -> KubeResponse {
        let (response, used) = try await sendOnce(request) { try self.connection.token?.credential() }
        if response.status == 401, let source = connection.token, source.isRefreshable {
            return try await sendOnce(request) { try source.refreshed(after: used) }.response
        }
        return response
    }

    /// Gets the credential and performs the request on a thread of its own: both may block (an exec plugin runs).
    private func sendOnce(
        _ request: KubeRequest, credential: @escaping @Sendable () throws -> ClientCredential?
    ) async throws -> (response: KubeResponse, credential: ClientCredential?) {
        try await OffPool.run(named: "hourly-image-kube") {
            let used = try credential()
            let result = Result { try self.perform(request, credential: used) }
            self.observer?(request.method, (try? result.get()).map { String($0.status) } ?? "<error>")
            return (try result.get(), used)
        }
    }

    private func perform(_ request: KubeRequest, credential: ClientCredential?) throws -> KubeResponse {
        let handle = take()
        defer { give(handle) }
        let sink = BodySink()
        sink.maximumBodyBytes = maximumResponseBytes
        let headers = try configure(handle, request, sink: sink, credential: credential)
        defer { curl_slist_free_all(headers) }
        hi_easy_setopt_long(handle.raw, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        let code: CURLcode = (request.body ?? Data()).withUnsafeBytes { raw in
            if request.body != nil {
                hi_easy_setopt_long(handle.raw, CURLOPT_POSTFIELDSIZE, raw.count)
                hi_easy_setopt_pointer(handle.raw, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            return curl_easy_perform(handle.raw)
        }
        if sink.bodyTooLarge {
            throw KubeAPIError.transport("the response to \(request.method) \(request.path) is larger than \(maximumResponseBytes) bytes; refused")
        }
        guard code == CURLE_OK else { throw KubeAPIError.transport(sink.errorText(code)) }
        var status = 0
        hi_easy_getinfo_long(handle.raw, CURLINFO_RESPONSE_CODE, &status)
        return KubeResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// Opens a watch: yields each newline-delimited JSON line as it arrives. Ending the stream's
    /// iteration aborts the request; `idleTimeout` seconds without a byte ends it with an error
    /// (a dead connection that TCP did not notice).
    public func stream(_ request: KubeRequest, idleTimeout: Double) -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self, throwing: (any Error).self)
        let sink = BodySink()
        sink.streaming = continuation
        sink.idleTimeout = idleTimeout
        continuation.onTermination = { _ in sink.cancel() }
        let thread = Thread {
            let handle = CurlHandle(raw: Curl.makeHandle()!)
            defer { curl_easy_cleanup(handle.raw) }
            do {
                let headers = try self.configure(handle, request, sink: sink, credential: try self.connection.token?.credential())
                defer { curl_slist_free_all(headers) }
                hi_easy_setopt_long(handle.raw, CURLOPT_TCP_KEEPALIVE, 1)
                hi_easy_setopt_long(handle.raw, CURLOPT_TCP_KEEPIDLE, 30)
                hi_easy_setopt_long(handle.raw, CURLOPT_TCP_KEEPINTVL, 10)
                hi_easy_setopt_long(handle.raw, CURLOPT_NOPROGRESS, 0)
                hi_easy_setopt_xferinfo_callback(handle.raw) { context, _, _, _, _ in
                    Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue().keepGoing() ? 0 : 1
                }
                hi_easy_setopt_pointer(handle.raw, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(sink).toOpaque())
                let code = curl_easy_perform(handle.raw)
                var status = 0
                hi_easy_getinfo_long(handle.raw, CURLINFO_RESPONSE_CODE, &status)
                self.observer?(request.method, status > 0 ? String(status) : "<error>")
                sink.finish(code: code, status: status)
            } catch {
                self.observer?(request.method, "<error>")
                continuation.finish(throwing: error)
            }
        }
        thread.name = "hourly-image-watch"
        thread.start()
        return stream
    }

    private func configure(
        _ handle: CurlHandle, _ request: KubeRequest, sink: BodySink, credential: ClientCredential?
    ) throws -> UnsafeMutablePointer<curl_slist>? {
        let h = handle.raw
        hi_easy_setopt_string(h, CURLOPT_URL, connection.server + request.path)
        hi_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, request.method)
        Curl.setCommonOptions(h, userAgent: "hourly-image/\(KubeClientVersion.current)", connectTimeoutMilliseconds: 10_000)
        if let ca = connection.caPEM { ca.withUnsafeBytes { _ = hi_easy_setopt_blob(h, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) } }
        if let (cert, key) = connection.clientCertificate(with: credential) {
            hi_easy_setopt_string(h, CURLOPT_SSLCERTTYPE, "PEM")
            cert.withUnsafeBytes { _ = hi_easy_setopt_blob(h, CURLOPT_SSLCERT_BLOB, $0.baseAddress, $0.count) }
            hi_easy_setopt_string(h, CURLOPT_SSLKEYTYPE, "PEM")
            key.withUnsafeBytes { _ = hi_easy_setopt_blob(h, CURLOPT_SSLKEY_BLOB, $0.baseAddress, $0.count) }
        }
        if connection.insecureSkipTLSVerify {
            hi_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            hi_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Accept: application/json")
        if let type = request.contentType { headers = curl_slist_append(headers, "Content-Type: \(type)") }
        if let token = credential?.token, !token.isEmpty { headers = curl_slist_append(headers, "Authorization: Bearer \(token)") }
        headers = curl_slist_append(headers, "Expect:")
        hi_easy_setopt_slist(h, CURLOPT_HTTPHEADER, headers)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        hi_easy_setopt_write_callback(h, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
            return sink.write(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        hi_easy_setopt_pointer(h, CURLOPT_WRITEDATA, context)
        hi_easy_setopt_write_callback(h, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
            sink.header(String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self))
            return size * count
        }
        hi_easy_setopt_pointer(h, CURLOPT_HEADERDATA, context)
        hi_easy_setopt_pointer(h, CURLOPT_ERRORBUFFER, sink.errorBuffer)
        return headers
    }

    private func take() -> CurlHandle {
        if let handle = handles.withLock({ $0.popLast() }) { return handle }
        return CurlHandle(raw: Curl.makeHandle()!)
    }

    private func give(_ handle: CurlHandle) {
        curl_easy_reset(handle.raw)  // keeps the connection cache
        let extra: CurlHandle? = handles.withLock { pool in
            guard pool.count < 8 else { return handle }
            pool.append(handle)
            return nil
        }
        if let extra { curl_easy_cleanup(extra.raw) }
    }
}

/// An easy handle moved between threads, one user at a time.
struct CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The client's version, sent in `User-Agent`.
enum KubeClientVersion {
    static let current = "0.1.0"
}

