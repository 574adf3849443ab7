import Foundation

/// What an exec credential plugin prints: an `ExecCredential` whose `status` holds a bearer token or a client
/// certificate and key, and optionally when they expire.
struct ExecCredential: Decodable {
    struct Status: Decodable {
        var token: String?
        var clientCertificateData: String?
        var clientKeyData: String?
        var expirationTimestamp: String?
    }

    var apiVersion: String?
    var kind: String?
    var status: Status?

    /// Decodes and checks the plugin's standard output against the version it was configured with.
    static func parse(_ output: Data, expecting version: ExecConfig.APIVersion, command: String) throws(ExecCredentialError) -> ClientCredential {
        func bad(_ why: String) -> ExecCredentialError { .invalidOutput(command: command, why) }
        let decoded: ExecCredential
        do {
            decoded = try JSONDecoder().decode(ExecCredential.self, from: output)
        } catch {
            if output.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw bad("it printed nothing") }
            if (try? JSONSerialization.jsonObject(with: output, options: [.fragmentsAllowed])) is [String: Any] {
                throw bad("it is JSON but not an ExecCredential (a field has the wrong type)")
            }
            // Not echoed: a plugin that prints a bare token would put the secret into logs.
            throw bad("it is not a JSON object (\(output.count) bytes)")
        }
        guard decoded.kind == "ExecCredential" else {
            throw bad("kind is \(decoded.kind.map { "\"\($0)\"" } ?? "missing"), not \"ExecCredential\"")
        }
        guard decoded.apiVersion == version.rawValue else {
            throw bad("apiVersion is \(decoded.apiVersion.map { "\"\($0)\"" } ?? "missing"), but the kubeconfig asks for \"\(version.rawValue)\"")
        }
        guard let status = decoded.status else { throw bad("it has no status") }
        let token = status.token.flatMap { $0.isEmpty ? nil : $0 }
        let certificate = status.clientCertificateData.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        let key = status.clientKeyData.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        if token == nil, certificate == nil, key == nil { throw bad("status has neither a token nor a client certificate and key") }
        if (certificate == nil) != (key == nil) { throw bad("status has a client certificate without a key, or a key without a certificate") }
        if let certificate, !Self.isPEM(certificate, "CERTIFICATE") { throw bad("clientCertificateData is not a PEM certificate") }
        if let key, !Self.isPEM(key, "PRIVATE KEY") { throw bad("clientKeyData is not a PEM private key") }
        var expiration: Date?
        if let stamp = status.expirationTimestamp, !stamp.isEmpty {
            guard let date = Self.rfc3339(stamp) else { throw bad("expirationTimestamp \"\(stamp.prefix(40))\" is not an RFC 3339 time") }
            expiration = date
        }
        return ClientCredential(token: token, clientCertificatePEM: certificate, clientKeyPEM: key, expiration: expiration)
    }

    /// True when `data` holds a PEM block whose label ends with `label` (`EC PRIVATE KEY`, `RSA PRIVATE KEY`, …).
    static func isPEM(_ data: Data, _ label: String) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN ") else { return false }
        let line = text[begin.upperBound...].prefix { $0 != "-" && !$0.isNewline }
        return line.hasSuffix(label) && text.contains("-----END \(line)-----")
    }

    /// Parses RFC 3339 with or without fractional seconds (Kubernetes writes `2006-01-02T15:04:05Z`).
    static func rfc3339(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
