import Foundation
import TestSupport

/// A throwaway certificate authority for one test: a CA, a server certificate for 127.0.0.1 and localhost,
/// and client certificates whose CN is the identity, all P-256 PEM files made by the `openssl` tool in a temp dir.
public struct TestPKI: Sendable {
    /// The directory holding every file.
    public let directory: String
    /// The CA certificate (PEM): what clients trust and what client certificates are checked against.
    public let caPEMPath: String
    /// The CA's private key (PEM).
    public let caKeyPath: String
    /// The server certificate (PEM), SAN IP:127.0.0.1 and DNS:localhost.
    public let serverCertPath: String
    /// The server's private key (PEM).
    public let serverKeyPath: String

    /// Makes a CA and a server certificate in a new temporary directory.
    public static func make() async throws -> TestPKI {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kube-test-pki-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pki = TestPKI(directory: directory, caPEMPath: directory + "/ca.crt", caKeyPath: directory + "/ca.key",
                          serverCertPath: directory + "/server.crt", serverKeyPath: directory + "/server.key")
        try await Self.openssl(["req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", pki.caKeyPath, "-out", pki.caPEMPath, "-days", "2", "-subj", "/CN=kube-test-server-ca",
                          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try await pki.issue(cn: "kube-test-server", certPath: pki.serverCertPath, keyPath: pki.serverKeyPath,
                      extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        return pki
    }

    /// Issues a client certificate signed by the CA whose CN is the identity the server sees.
    public func clientCert(cn: String) async throws -> (certPath: String, keyPath: String) {
        let base = directory + "/client-\(cn.filter { $0.isLetter || $0.isNumber || $0 == "-" })-\(UUID().uuidString.prefix(8))"
        try await issue(cn: cn, certPath: base + ".crt", keyPath: base + ".key", extensions: "extendedKeyUsage=clientAuth\n")
        return (base + ".crt", base + ".key")
    }

    /// Makes a key and a certificate signed by the CA.
    private func issue(cn: String, certPath: String, keyPath: String, extensions: String) async throws {
        let request = certPath + ".csr"
        let extFile = certPath + ".ext"
        try Data(("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" + extensions).utf8)
            .write(to: URL(fileURLWithPath: extFile))
        try await Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", keyPath, "-out", request, "-subj", "/CN=\(cn)"])
        try await Self.openssl(["x509", "-req", "-in", request, "-CA", caPEMPath, "-CAkey", caKeyPath, "-set_serial",
                          String(UInt32.random(in: 1...UInt32.max)), "-days", "2", "-extfile", extFile, "-out", certPath])
        try? FileManager.default.removeItem(atPath: request)
        try? FileManager.default.removeItem(atPath: extFile)
    }

    /// Runs `openssl` with these arguments (off the cooperative pool); throws with its stderr when it fails.
    private static func openssl(_ arguments: [String]) async throws {
        let run = try await ChildProcess.run("/usr/bin/env", ["openssl"] + arguments)
        guard run.status == 0 else {
            throw TestPKIError(message: "openssl \(arguments.first ?? "") failed: \(run.errorText)")
        }
    }
}

/// `openssl` failed while making test certificates.
public struct TestPKIError: Error, CustomStringConvertible {
    /// What went wrong, with openssl's own words.
    public let message: String
    /// The message.
    public var description: String { message }
}
