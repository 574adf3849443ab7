import Testing

@testable import ImageFetch

@Suite("Address policy")
struct AddressPolicyTests {
    @Test("refuses loopback, private, link-local, metadata, unspecified and multicast by default", arguments: [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fc00::1", "fe80::1",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fd00:ec2::254",
    ])
    func refused(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(!AddressPolicy.publicOnly.permits(ip))
        #expect(AddressPolicy(allowPrivateNetworks: true).permits(ip))
    }

    @Test("refuses documentation and benchmarking ranges and addresses that embed a refused IPv4 address", arguments: [
        "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "198.19.255.255", "240.0.0.1", "2001:db8::1",
        "::127.0.0.1", "::10.0.0.1", "::169.254.169.254",            // IPv4-compatible
        "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.2.3", // NAT64
        "64:ff9b:1::8.8.8.8",                                          // local-use NAT64
        "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:0101::",      // 6to4 of 127.0.0.1, 169.254.169.254, 192.168.1.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",                        // Teredo, client 127.0.0.1 (stored inverted)
        "2001:0:a00:1:8000:63bf:f7f7:f7f7",                            // Teredo, server 10.0.0.1
        "100::1",                                                      // discard-only
    ])
    func refusedEmbedded(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(!AddressPolicy.publicOnly.permits(ip), "\(address) must be refused")
    }

    @Test("embedded public IPv4 addresses stay reachable", arguments: [
        "64:ff9b::8.8.8.8", "2002:0808:0808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "::8.8.8.8",
    ])
    func embeddedPublic(address: String) throws {
        #expect(AddressPolicy.publicOnly.permits(try #require(IPAddress(address))))
    }

    @Test("--allow-cidr for the embedded range lets a NAT64 address through")
    func allowedEmbedded() throws {
        let policy = AddressPolicy(allowedRanges: [try #require(CIDR("10.0.0.0/8"))])
        #expect(policy.permits(try #require(IPAddress("64:ff9b::10.1.2.3"))))
        #expect(!policy.permits(try #require(IPAddress("64:ff9b::127.0.0.1"))))
    }

    @Test("allows public addresses", arguments: ["1.1.1.1", "151.101.1.91", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func allowed(address: String) throws {
        #expect(AddressPolicy.publicOnly.permits(try #require(IPAddress(address))))
    }

    @Test("an allowed CIDR lifts the refusal for that range only")
    func allowList() throws {
        let policy = AddressPolicy(allowedRanges: [try #require(CIDR("127.0.0.1/32")), try #require(CIDR("fd00::/8"))])
        #expect(policy.permits(IPAddress("127.0.0.1")!))
        #expect(!policy.permits(IPAddress("127.0.0.2")!))
        #expect(policy.permits(IPAddress("fd12::5")!))
        #expect(!policy.permits(IPAddress("10.0.0.1")!))
        #expect(policy.permits(IPAddress("::ffff:127.0.0.1")!))
    }

    @Test("parses CIDRs and bare addresses; rejects garbage", arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("192.168.1.7", "192.168.1.7/32"), ("::1", "::1/128"), ("fc00::/7", "fc00::/7"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try #require(CIDR(text)).description == canonical)
    }

    @Test("garbage is not a CIDR", arguments: ["", "10.0.0.0/33", "::/129", "example.com", "10.0.0/8", "1.2.3.4/x"])
    func garbage(text: String) {
        #expect(CIDR(text) == nil)
    }
}

@Suite("Magic bytes")
struct ImageKindTests {
    static let heads: [([UInt8], ImageKind)] = {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
        let tail: [UInt8] = [1, 0, 1, 0, 0, 0]
        let gif89: [UInt8] = Array("GIF89a".utf8) + tail
        let gif87: [UInt8] = Array("GIF87a".utf8) + tail
        let webp: [UInt8] = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBP".utf8)
        return [(jpeg, .jpeg), (png, .png), (gif89, .gif), (gif87, .gif), (webp, .webp)]
    }()

    @Test("recognises JPEG, PNG, GIF and WebP by their first bytes", arguments: heads)
    func sniffs(head: [UInt8], kind: ImageKind) {
        #expect(ImageKind.sniff(head) == kind)
    }

    static let notImages: [[UInt8]] = [
        Array("<!doctype html>".utf8), Array("hello".utf8), Array("RIFF\0\0\0\0WAVE".utf8), [],
    ]

    @Test("refuses HTML, text, RIFF that is not WebP, and empty bodies", arguments: notImages)
    func refuses(head: [UInt8]) {
        #expect(ImageKind.sniff(head) == nil)
    }

    @Test("finds the Picsum id from the header or the /id/N/ path")
    func picsumID() {
        #expect(PicsumID.find(header: "237", url: "http://x/whatever.jpg") == "237")
        #expect(PicsumID.find(header: nil, url: "https://fastly.picsum.photos/id/1025/1200/1200.jpg?hmac=abc") == "1025")
        #expect(PicsumID.find(header: nil, url: "https://example.com/cat.jpg") == nil)
        #expect(PicsumID.find(header: "<script>", url: "https://example.com/id/x/") == nil)
    }
}

@Suite("Fetch errors as people see them")
struct FetchErrorTextTests {
    @Test("a fetch error names the URL without its userinfo or query values")
    func redacted() {
        let error = FetchError.httpStatus(403, url: "https://bob:pw@example.com/x.jpg?token=abc")
        #expect(error.description == "https://***@example.com/x.jpg?token=*** answered HTTP 403")
        #expect(!FetchError.sourceUnreachable(url: "https://u:p@h/?k=v", detail: "refused").description.contains("u:p"))
    }
}
