import Foundation

/// Runs blocking work (fsync, directory walks) on its own thread, off the Swift concurrency pool.
///
/// The pool has one thread per core; a blocking call there stalls everything else scheduled on it.
public enum OffPool {
    /// Runs `work` on a new thread (named `name`, for debuggers and `top -H`) and returns its result.
    public static func run<T: Sendable>(named name: String = "hourly-image-io", _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = name
            thread.start()
        }
    }
}
