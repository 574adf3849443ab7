import CCurl
import CurlSupport
import Foundation
import Synchronization

/// What a finished transfer reports besides its body.
struct TransferInfo: Sendable {
    /// The URL after redirects.
    var effectiveURL: String
    /// The final HTTP status.
    var status: Int
    /// Headers of the final response, names lowercased.
    var headers: [String: String]
    /// Body bytes received.
    var bytes: Int64
}

/// One blocking libcurl transfer. `perform()` must run on a dedicated thread, never on the
/// Swift concurrency pool; `cancel()` may be called from any thread and aborts within about a second.
final class CurlTransfer: @unchecked Sendable {
    /// Receives body bytes; returns an error to abort the transfer with it.
    typealias Consumer = (UnsafeRawBufferPointer) -> FetchError?

    let url: String
    let options: FetchOptions
    private let consumer: Consumer
    private let cancelled = Atomic<Bool>(false)
    // Touched only by the transfer thread (inside curl callbacks) until perform() returns.
    private var abort: FetchError?
    private var blocked: String?
    private var received: Int64 = 0
    private var headers: [String: String] = [:]

    init(url: String, options: FetchOptions, consumer: @escaping Consumer) {
        self.url = url
        self.options = options
        self.consumer = consumer
    }

    /// Asks the transfer to stop; `perform()` then returns `.cancelled`.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// The outcome of `perform()`.
    enum Outcome {
        case finished(TransferInfo)
        case failed(FetchError)
        case cancelled
    }

    /// Runs the transfer to completion (blocking).
    func perform() -> Outcome {
        guard let handle = Curl.makeHandle() else {
            return .failed(.sourceUnreachable(url: url, detail: "libcurl could not start a transfer"))
        }
        defer { curl_easy_cleanup(handle) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            configure(handle, context: context, errorBuffer: buffer.baseAddress!)
            if cancelled.load(ordering: .relaxed) { return CURLE_ABORTED_BY_CALLBACK }
            return curl_easy_perform(handle)
        }
        if cancelled.load(ordering: .relaxed) { return .cancelled }
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var status = 0
        Curl.long(handle, CURLINFO_RESPONSE_CODE).map { status = $0 }
        let effective = Curl.string(handle, CURLINFO_EFFECTIVE_URL) ?? url
        if code == CURLE_OK {
            return .finished(TransferInfo(effectiveURL: effective, status: status, headers: headers, bytes: received))
        }
        return .failed(classify(code, detail: detail, status: status, effectiveURL: effective))
    }

    private func configure(_ handle: UnsafeMutableRawPointer, context: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) {
        hi_easy_setopt_string(handle, CURLOPT_URL, url)
        hi_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        // No proxy from the environment among the common options: a proxy would hide the address actually
        // connected to, which the address policy must see; image sources are fetched directly.
        Curl.setCommonOptions(handle, userAgent: options.userAgent, connectTimeoutMilliseconds: Int(options.connectTimeout * 1000))
        hi_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        hi_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        hi_easy_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects)
        hi_easy_setopt_long(handle, CURLOPT_FAILONERROR, 1)
        hi_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.totalTimeout * 1000))
        hi_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimit)
        hi_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.lowSpeedTime)
        hi_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBytes))
        // Larger reads mean fewer callbacks and write(2) calls per image (the default is 16 KiB).
        hi_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, 256 * 1024)
        hi_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        hi_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        hi_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        hi_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        hi_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        hi_easy_setopt_xferinfo_callback(handle, curlProgress)
        hi_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        // Checked on the address actually connected, for every connection and every redirect.
        hi_easy_setopt_opensocket_callback(handle, curlOpenSocket)
        hi_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context)
    }

    private func classify(_ code: CURLcode, detail: String, status: Int, effectiveURL: String) -> FetchError {
        if case .notAnImage? = abort { return .notAnImage(url: effectiveURL, contentType: headers["content-type"]) }
        if let abort { return abort }
        if let blocked { return .blocked(url: url, detail: blocked) }
        let detail = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_HTTP_RETURNED_ERROR:
            return .httpStatus(status, url: effectiveURL)
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects(url: url, limit: options.maxRedirects)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url, detail: detail)
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge(url: url, limit: options.maxBytes)
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .blocked(url: url, detail: "only http and https are allowed (\(detail))")
        case CURLE_PARTIAL_FILE:
            return .sourceUnreachable(url: url, detail: "the connection closed before the whole image arrived (\(detail))")
        default:
            return .sourceUnreachable(url: url, detail: detail)
        }
    }

    // MARK: callbacks (on the transfer thread)

    fileprivate func onBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if cancelled.load(ordering: .relaxed) { return false }
        received += Int64(bytes.count)
        if received > options.maxBytes {
            abort = .tooLarge(url: url, limit: options.maxBytes)
            return false
        }
        if let error = consumer(bytes) {
            abort = error
            return false
        }
        return true
    }

    fileprivate func onHeader(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after a redirect): keep only the last one's headers
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            headers[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    fileprivate func onProgress() -> Bool { !cancelled.load(ordering: .relaxed) }

    fileprivate func onOpenSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        let family = address.pointee.family
        var ip: IPAddress?
        withUnsafePointer(to: &address.pointee.addr) { raw in
            if family == AF_INET {
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    ip = IPAddress(bytes: withUnsafeBytes(of: sin.pointee.sin_addr) { Array($0) })
                }
            } else if family == AF_INET6 {
                raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    ip = IPAddress(bytes: withUnsafeBytes(of: sin6.pointee.sin6_addr) { Array($0) })
                }
            }
        }
        guard let ip, options.addressPolicy.permits(ip) else {
            blocked =
                "it resolves to \(ip.map(String.init(describing:)) ?? "an unknown address"), a private, loopback or link-local address; "
                + "allow it with --allow-cidr or --allow-private-networks"
            return CURL_SOCKET_BAD
        }
        return socket(family, address.pointee.socktype, address.pointee.protocol)
    }
}

private func transfer(_ pointer: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(pointer!).takeUnretainedValue()
}

private let curlWrite: curl_write_callback = { data, size, count, context in
    let total = size * count
    let ok = transfer(context).onBody(UnsafeRawBufferPointer(start: data, count: total))
    return ok ? total : 0
}

private let curlHeader: curl_write_callback = { data, size, count, context in
    let total = size * count
    if let data {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
        transfer(context).onHeader(line)
    }
    return total
}

private let curlProgress: curl_xferinfo_callback = { context, _, _, _, _ in
    transfer(context).onProgress() ? 0 : 1
}

private let curlOpenSocket: curl_opensocket_callback = { context, _, address in
    guard let address else { return CURL_SOCKET_BAD }
    return transfer(context).onOpenSocket(address)
}
