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

    /// IPv4 addresses this IPv6 address carries inside it, which a connection may in effect reach: IPv4-compatible
    /// `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`, and Teredo `2001:0:SSSS:SSSS::` (server, and the
    /// client's address stored inverted in the last 32 bits).
    public var embeddedIPv4: [IPAddress] {
        guard bytes.count == 16 else { return [] }
        func v4(_ slice: ArraySlice<UInt8>, inverted: Bool = false) -> IPAddress {
            IPAddress(bytes: slice.map { inverted ? ~$0 : $0 })!
        }
        if bytes[0..<12].allSatisfy({ $0 == 0 }), !bytes[12..<16].allSatisfy({ $0 == 0 }) {
            return [v4(bytes[12..<16])]  // IPv4-compatible (deprecated): ::a.b.c.d (:: and ::1 are caught as ranges)
        }
        if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return [v4(bytes[12..<16])] }  // NAT64
        if bytes[0] == 0x20, bytes[1] == 0x02 { return [v4(bytes[2..<6])] }  // 6to4
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] { return [v4(bytes[4..<8]), v4(bytes[12..<16], inverted: true)] }  // Teredo
        return []
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

    /// The ranges refused unless allowed: private, shared, loopback, link-local, multicast and reserved space, and the
    /// documentation and benchmarking ranges (never a real image host).
    public static let refusedRanges: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
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
        if Self.refusedRanges.contains(where: { $0.contains(address) }) { return false }
        // An address that tunnels to a refused IPv4 address is as good as that address.
        return address.embeddedIPv4.allSatisfy { embedded in
            allowedRanges.contains { $0.contains(embedded) } || !Self.refusedRanges.contains { $0.contains(embedded) }
        }
    }
}
