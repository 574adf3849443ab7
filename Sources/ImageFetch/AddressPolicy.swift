import Foundation

/// An IPv4 or IPv6 address as raw bytes (4 or 16).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or textual IPv6 (no brackets, no zone).
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// Wraps raw bytes (4 or 16).
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The embedded IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else self.
    public var unmapped: IPAddress {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return IPAddress(bytes: Array(bytes[12..<16]))!
        }
        return self
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address range such as `10.0.0.0/8` or `fc00::/7`.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address.
    public let address: IPAddress
    /// Prefix length in bits.
    public let prefixLength: Int

    /// Parses `ADDRESS/BITS`, or a bare address as a single-host range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let address = IPAddress(first) else { return nil }
        let maxBits = address.bytes.count * 8
        let bits = parts.count == 2 ? Int(parts[1]) : maxBits
        guard let bits, (0...maxBits).contains(bits) else { return nil }
        self.address = address
        self.prefixLength = bits
    }

    /// True when `candidate` lies in this range (IPv4-mapped IPv6 counts as IPv4).
    public func contains(_ candidate: IPAddress) -> Bool {
        let candidate = address.bytes.count == 4 ? candidate.unmapped : candidate
        guard candidate.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, candidate.bytes) {
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// Which addresses image fetches may connect to.
///
/// By default loopback, private (RFC 1918, IPv6 ULA), shared (100.64/10), link-local (including
/// the cloud metadata address 169.254.169.254), unspecified, multicast and reserved ranges are
/// refused, so a resource cannot make the controller reach into the cluster or the node.
public struct AddressPolicy: Sendable, Hashable {
    /// Lifts every restriction (`--allow-private-networks`).
    public var allowPrivateNetworks: Bool
    /// Ranges allowed even though they are in a refused range (`--allow-cidr`).
    public var allowedRanges: [CIDR]

    /// The ranges refused unless allowed.
    public static let refusedRanges: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].map { CIDR($0)! }

    /// The default: public addresses only.
    public static let publicOnly = AddressPolicy(allowPrivateNetworks: false, allowedRanges: [])

    /// Creates a policy.
    public init(allowPrivateNetworks: Bool = false, allowedRanges: [CIDR] = []) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowedRanges = allowedRanges
    }

    /// True when a connection to `address` is allowed.
    public func permits(_ address: IPAddress) -> Bool {
        if allowPrivateNetworks { return true }
        let address = address.unmapped
        if allowedRanges.contains(where: { $0.contains(address) }) { return true }
        return !Self.refusedRanges.contains { $0.contains(address) }
    }
}
