import Foundation

/// Runs the `kubectl` on PATH against a kubeconfig, with its own discovery cache directory.
final class Kubectl: @unchecked Sendable {
    /// The kubectl binary, if one is on PATH.
    static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    private let process = Process()
    private let lock = NSLock()
    private var collected = Data()

    /// Starts `kubectl ARGS --kubeconfig FILE --cache-dir DIR`; output (stdout and stderr) is collected as it comes.
    init(_ arguments: [String], kubeconfig: String, directory: String) throws {
        process.executableURL = URL(fileURLWithPath: Self.path ?? "/usr/bin/kubectl")
        process.arguments = arguments + ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.collected.append(data) }
        }
        try process.run()
    }

    /// Everything printed so far.
    var output: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    /// Waits for kubectl to exit (at most `timeout`) and returns its status and output.
    func finish(timeout: Duration = .seconds(20)) async -> (status: Int32, output: String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { process.terminate() }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        try? await Task.sleep(for: .milliseconds(50))
        return (process.terminationStatus, output)
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
