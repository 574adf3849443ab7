/// Reads the subject common name out of a DER certificate: the identity of a client certificate,
/// as kube-apiserver's x509 authenticator takes it (CN = user name).
enum CertificateSubject {
    /// One DER element: its tag and the range of its content.
    private struct Element {
        let tag: UInt8
        let content: Range<Int>
        let end: Int
    }

    /// The subject's CN, nil when the bytes are not a certificate or it has no CN.
    static func commonName(der bytes: [UInt8]) -> String? {
        guard let certificate = element(bytes, at: 0), certificate.tag == 0x30,
              let tbs = element(bytes, at: certificate.content.lowerBound), tbs.tag == 0x30 else { return nil }
        var fields: [Element] = []
        var offset = tbs.content.lowerBound
        while offset < tbs.content.upperBound, fields.count < 7, let field = element(bytes, at: offset) {
            fields.append(field)
            offset = field.end
        }
        // version [0] is optional; after it: serial, signature, issuer, validity, subject.
        let subjectIndex = fields.first?.tag == 0xA0 ? 5 : 4
        guard fields.count > subjectIndex, fields[subjectIndex].tag == 0x30 else { return nil }
        var found: String?
        forEachChild(bytes, of: fields[subjectIndex]) { set in
            forEachChild(bytes, of: set) { attribute in
                var parts: [Element] = []
                forEachChild(bytes, of: attribute) { parts.append($0) }
                if parts.count == 2, parts[0].tag == 0x06, Array(bytes[parts[0].content]) == [0x55, 0x04, 0x03] {
                    found = String(decoding: bytes[parts[1].content], as: UTF8.self)
                }
            }
        }
        return found
    }

    private static func forEachChild(_ bytes: [UInt8], of parent: Element, _ body: (Element) -> Void) {
        var offset = parent.content.lowerBound
        while offset < parent.content.upperBound, let child = element(bytes, at: offset) {
            body(child)
            offset = child.end
        }
    }

    /// The element starting at `offset` (definite lengths only, as DER requires).
    private static func element(_ bytes: [UInt8], at offset: Int) -> Element? {
        guard offset + 1 < bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4, start + count <= bytes.count else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= bytes.count else { return nil }
        return Element(tag: tag, content: start..<start + length, end: start + length)
    }
}
