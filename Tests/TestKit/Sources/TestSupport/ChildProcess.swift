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
        /// How it ended.
        public let exit: Subprocess.Exit
        public let output: Data
        public let errors: Data

        /// The exit code, or the number of the signal that ended it.
        public var status: Int32 { exit.status }
        /// Standard output as text.
        public var outputText: String { String(decoding: output, as: UTF8.self) }
        /// Standard error as text.
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` until it exits (killed with SIGKILL after `timeout`) and collects its
    /// standard output and standard error. `environment` nil passes this process's own.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Outcome {
        let child = try Subprocess(executable, arguments, environment: environment)
        var exit = await child.wait(timeout: timeout)
        if exit == nil {
            child.signal(SIGKILL)
            exit = await child.wait(timeout: .seconds(10))
        }
        guard let exit else { throw SubprocessError(message: "\(executable) did not end within \(timeout) of being killed") }
        return Outcome(exit: exit, output: child.output, errors: child.errors)
    }
}
