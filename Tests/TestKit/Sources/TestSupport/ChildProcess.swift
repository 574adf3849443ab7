import Foundation

/// Runs blocking `work` on a thread of its own and returns its result.
///
/// Tests run on Swift's cooperative pool, one thread per core (two on CI): a `waitUntilExit`, a blocking read or an
/// `openssl` run there stalls every other test in the process, and their timeouts then fail for no fault of theirs.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A program run to its exit without blocking the cooperative pool.
public enum ChildProcess {
    /// How a run ended and what it printed.
    public struct Outcome: Sendable {
        public let status: Int32
        public let reason: Process.TerminationReason
        public let output: Data
        public let errors: Data

        /// Standard error as text.
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` until it exits (killed with SIGKILL after `timeout`); its standard output
    /// and standard error are collected, each read on a thread of its own so neither pipe can fill up.
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let killer = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        defer { killer.cancel() }
        async let out = onOwnThread { output.fileHandleForReading.readDataToEndOfFile() }
        async let err = onOwnThread { errors.fileHandleForReading.readDataToEndOfFile() }
        let (outData, errData) = try await (out, err)
        try await waitForExit(process)
        return Outcome(status: process.terminationStatus, reason: process.terminationReason, output: outData, errors: errData)
    }

    /// Waits for a started process to exit, off the cooperative pool.
    public static func waitForExit(_ process: Process) async throws {
        let ended = Exited(process)
        try await onOwnThread { ended.wait() }
    }

    /// A process handed to the thread that waits for it (Process is not Sendable; only `waitUntilExit` is called).
    private final class Exited: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
        func wait() { process.waitUntilExit() }
    }
}
