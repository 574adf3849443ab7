// kube-test-server: the test API server on 127.0.0.1, for kubectl and by-hand experiments.
//
//   kube-test-server [--tls] [--port N] [--kubeconfig PATH] [--token TOKEN]
//
// Serves hourlyimages.images.dwk.dev (always there, no CRD needed), events.k8s.io Events and
// coordination.k8s.io Leases, writes a kubeconfig for it, prints the base URL, and runs until SIGINT or SIGTERM.
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
    var tls = false
    var port = 0
    var kubeconfigPath: String?
    var token: String?

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--tls": tls = true
            case "--port": port = Int(remaining.popFirst() ?? "") ?? -1
            case "--kubeconfig": kubeconfigPath = remaining.popFirst()
            case "--token": token = remaining.popFirst()
            case "-h", "--help":
                print("usage: kube-test-server [--tls] [--port N] [--kubeconfig PATH] [--token TOKEN]")
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
    let pki = arguments.tls ? try TestPKI.make() : nil
    var tokens: [String: String] = [:]
    if let token = arguments.token { tokens[token] = "admin" }
    let server = try await KubeTestServer.start(.init(tls: pki, tokens: tokens, port: arguments.port))
    var clientCert: (certPath: String, keyPath: String)?
    if let pki, arguments.token == nil { clientCert = try pki.clientCert(cn: "admin") }
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
