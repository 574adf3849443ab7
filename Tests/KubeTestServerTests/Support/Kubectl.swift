import Foundation
import TestSupport

/// Runs the `kubectl` on PATH against a kubeconfig, with its own discovery cache directory.
final class Kubectl: @unchecked Sendable {
    /// The kubectl binary, if one is on PATH.
    static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    private let process: Subprocess

    /// Starts `kubectl ARGS --kubeconfig FILE --cache-dir DIR`; output (stdout and stderr) is collected as it comes.
    init(_ arguments: [String], kubeconfig: String, directory: String) throws {
        process = try Subprocess(Self.path ?? "/usr/bin/kubectl", arguments + ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache"],
                                 errorsToOutput: true)
    }

    /// Everything printed so far.
    var output: String { String(decoding: process.output, as: UTF8.self) }

    /// Waits for kubectl to exit (at most `timeout`, then it is stopped) and returns its status and output.
    func finish(timeout: Duration = .seconds(20)) async -> (status: Int32, output: String) {
        var exit = await process.wait(timeout: timeout)
        if exit == nil {
            process.signal(SIGTERM)
            exit = await process.wait(timeout: .seconds(10))
        }
        if exit == nil {
            process.signal(SIGKILL)
            exit = await process.wait(timeout: .seconds(10))
        }
        return (exit?.status ?? -1, output)
    }

    /// Stops a long-running kubectl (a watch) and waits until it has exited, so it cannot
    /// reconnect to a server that is shutting down.
    func stop() async {
        _ = await finish(timeout: .zero)
    }

    /// Runs kubectl to completion.
    static func run(_ arguments: [String], kubeconfig: String, directory: String) async throws -> (status: Int32, output: String) {
        try await Kubectl(arguments, kubeconfig: kubeconfig, directory: directory).finish()
    }
}
