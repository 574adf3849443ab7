import CCurl

/// What both HTTP uses of libcurl (image fetches and the Kubernetes client) share: the global init, the easy
/// handle, the options every transfer sets, and typed reads of transfer info.
public enum Curl {
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// A new easy handle, after `curl_global_init` once per process (it is not thread-safe, so it must run before the
    /// first handle); nil when libcurl cannot make one.
    public static func makeHandle() -> UnsafeMutableRawPointer? {
        _ = globalInit
        return curl_easy_init()
    }

    /// The options every transfer of ours sets: no signals (threads), HTTP and HTTPS only, no proxy taken from
    /// the environment, our User-Agent, and a connect timeout.
    public static func setCommonOptions(_ handle: UnsafeMutableRawPointer, userAgent: String, connectTimeoutMilliseconds: Int) {
        hi_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hi_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        hi_easy_setopt_string(handle, CURLOPT_PROXY, "")
        hi_easy_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        hi_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds)
    }

    /// A numeric transfer info (`CURLINFO_RESPONSE_CODE` …); nil when libcurl has none.
    public static func long(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int? {
        var value = 0
        return hi_easy_getinfo_long(handle, info, &value) == CURLE_OK ? value : nil
    }

    /// A text transfer info (`CURLINFO_EFFECTIVE_URL` …); nil when libcurl has none.
    public static func string(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard hi_easy_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}
