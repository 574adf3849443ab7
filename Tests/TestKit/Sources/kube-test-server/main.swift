// kube-test-server: the test API server on 127.0.0.1, for kubectl and by-hand experiments.
//
//   kube-test-server [--plain-http] [--port N] [--kubeconfig PATH] [--token TOKEN]
//
// Starts like a fresh cluster (KubeTestServer.Options.cluster): `kubectl apply -f crds/` creates the HourlyImage
// resource, namespaces must exist, RBAC decides and the kubeconfig's user is a cluster admin. Writes a kubeconfig for
// it, prints the base URL, and runs until SIGINT or SIGTERM. HTTPS by default, the kubeconfig's user holding a client
// certificate: kubectl sends no bearer token over plain HTTP, and anonymous users may not read discovery.
import Foundation
import KubeTestServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command line the tool does not understand.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The command line, parsed by hand (four flags).
struct Arguments {
    var tls = true
    var port = 0
    var kubeconfigPath: String?
    var token: String?

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--tls": tls = true
            case "--plain-http": tls = false
            case "--port": port = Int(remaining.popFirst() ?? "") ?? -1
            case "--kubeconfig": kubeconfigPath = remaining.popFirst()
            case "--token": token = remaining.popFirst()
            case "-h", "--help":
                print("usage: kube-test-server [--plain-http] [--port N] [--kubeconfig PATH] [--token TOKEN]")
                exit(0)
            default: throw UsageError( "unknown argument \(flag) (try --help)")
            }
        }
        guard port >= 0, port < 65536 else { throw UsageError( "--port needs a number from 0 to 65535") }
    }
}

/// Returns once SIGINT or SIGTERM arrives.
func waitForTerminationSignal() async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let (signals, continuation) = AsyncStream<Void>.makeStream()
    let queue = DispatchQueue(label: "kube-test-server.signals")
    let sources = [SIGINT, SIGTERM].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
        source.setEventHandler { continuation.yield() }
        source.resume()
        return source
    }
    for await _ in signals { break }
    withExtendedLifetime(sources) {}
}

do {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let pki = arguments.tls ? try await TestPKI.make() : nil
    let server = try await KubeTestServer.start(.cluster(tls: pki, adminToken: arguments.token, adminName: "admin", port: arguments.port))
    var clientCert: (certPath: String, keyPath: String)?
    if let pki, arguments.token == nil { clientCert = try await pki.clientCert(cn: "admin") }
    let kubeconfig = server.kubeconfig(token: arguments.token, clientCert: clientCert)
    if let path = arguments.kubeconfigPath {
        try Data(kubeconfig.utf8).write(to: URL(fileURLWithPath: path))
        FileHandle.standardError.write(Data("kubeconfig written to \(path)\n".utf8))
    }
    FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))
    await waitForTerminationSignal()
    await server.stop()
} catch {
    FileHandle.standardError.write(Data("kube-test-server: \(error)\n".utf8))
    exit(1)
}
