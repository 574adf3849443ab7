/// A refresh asked for with the `images.dwk.dev/refresh` annotation (any new value, as with `kubectl rollout restart`).
///
/// `status.lastRefresh` records the request last carried out, in the bounded form `token(_:)` gives, so a value seen
/// before (a repeated apply, a controller restart) never refreshes twice.
public enum RefreshRequest {
    /// The annotation whose new value asks for a new image now.
    public static let annotation = "images.dwk.dev/refresh"
    /// The longest value kept verbatim in `status.lastRefresh`; a longer one is kept as a prefix and a fingerprint.
    public static let maximumVerbatimBytes = 128

    /// The request `resource` carries, as `status.lastRefresh` records it; nil without the annotation or with an
    /// empty value.
    public static func token(of resource: HourlyImage) -> String? {
        guard let value = resource.metadata.annotations?[annotation], !value.isEmpty else { return nil }
        return token(value)
    }

    /// `value` itself when it is short; else its first bytes, its length and an FNV-1a fingerprint of all of it
    /// (annotation values may be up to 256 KiB; the status stays small).
    public static func token(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.count > maximumVerbatimBytes else { return value }
        var prefix = ""
        var used = 0
        for scalar in value.unicodeScalars {
            let size = String(scalar).utf8.count
            guard used + size <= 64 else { break }
            prefix.unicodeScalars.append(scalar)
            used += size
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return "\(prefix)…(\(bytes.count) bytes, fnv1a64 \(String(repeating: "0", count: 16 - hex.count))\(hex))"
    }

    /// Whether `resource` asks for a refresh not yet carried out.
    public static func isDue(_ resource: HourlyImage, status: HourlyImageStatus?) -> Bool {
        guard let token = token(of: resource) else { return false }
        return token != status?.lastRefresh
    }
}
