import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, its output collected and its exit awaited on threads of its own.
///
/// Not Foundation's `Process`: on Linux its `run()` (swift-corelibs-foundation as shipped with Swift 6.3) copies the
/// whole 256-byte `d_name` of each /proc/self/fd entry and now and then reads past a page into a segfault
/// (swiftlang/swift-corelibs-foundation#5472); a test suite that starts hundreds of children crashed on it in CI.
public final class Subprocess: Sendable {
    /// How a child ended.
    public enum Exit: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this code.
        case exited(Int32)
        /// A signal with this number ended it.
        case signalled(Int32)

        /// The exit code, or the signal number (what `Process.terminationStatus` reported).
        public var status: Int32 {
            switch self {
            case .exited(let code), .signalled(let code): code
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// The child's process ID.
    public let pid: pid_t
    private let shared: Shared

    /// Starts `executable` with `arguments`: standard input from /dev/null, standard output and error each into a
    /// pipe of its own (or both into one), nothing else of this process's descriptors inherited, default signal
    /// handling. `environment` nil passes this process's own.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, errorsToOutput: Bool = false) throws {
        let out = try Self.makePipe()
        let err = errorsToOutput ? out : try Self.makePipe()
        defer { close(out.write); if !errorsToOutput { close(err.write) } }
        do {
            pid = try Self.spawn(executable, arguments, environment: environment, stdout: out.write, stderr: err.write)
        } catch {
            close(out.read)
            if !errorsToOutput { close(err.read) }
            throw error
        }
        shared = Shared(readers: errorsToOutput ? 1 : 2)
        let shared = shared, pid = pid
        Self.thread("subprocess-stdout") { shared.drain(out.read, into: \.output) }
        if !errorsToOutput { Self.thread("subprocess-stderr") { shared.drain(err.read, into: \.errors) } }
        Self.thread("subprocess-wait") { shared.reap(pid) }
    }

    deinit {
        if isRunning { kill(pid, SIGKILL) }
    }

    /// Standard output so far (with standard error, when merged).
    public var output: Data { shared.locked { $0.output } }
    /// Standard error so far.
    public var errors: Data { shared.locked { $0.errors } }
    /// How it ended; nil while it runs.
    public var exit: Exit? { shared.locked { $0.exit } }
    /// Whether it has not exited yet.
    public var isRunning: Bool { exit == nil }

    /// Sends `signal`, unless the child has already been reaped (its pid may belong to someone else by now).
    public func signal(_ signal: Int32) {
        shared.locked { state in if state.exit == nil { kill(pid, signal) } }
    }

    /// Waits until the child has exited and its pipes are drained, at most `timeout`; nil if it has not by then.
    public func wait(timeout: Duration = .seconds(60)) async -> Exit? {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Looked once more at the deadline: a loaded machine delays an exit, it does not lose it.
            let (exit, drained) = shared.locked { ($0.exit, $0.openReaders == 0) }
            if let exit, drained { return exit }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func thread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// A pipe whose ends are closed on exec (the child gets only the dup2'ed copies).
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SubprocessError(message: "pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]?, stdout: Int32, stderr: Int32
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let addCloseFrom { _ = addCloseFrom(&actions, 3) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = (environment ?? ProcessInfo.processInfo.environment).sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        // ETXTBSY: a child forked elsewhere still holds a just-written executable open until it execs.
        for _ in 0..<50 where result == ETXTBSY {
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        }
        guard result == 0 else { throw SubprocessError(message: "cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np` (Debian 12 has 2.36), not visible without _GNU_SOURCE.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// What the reader and waiter threads fill in; they hold this, not the Subprocess, so dropping it kills the child.
    private final class Shared: @unchecked Sendable {
        struct State {
            var output = Data()
            var errors = Data()
            var exit: Exit?
            var openReaders: Int
        }
        private let lock = NSLock()
        private var state: State

        init(readers: Int) { state = State(openReaders: readers) }

        func locked<T>(_ body: (inout State) -> T) -> T { lock.withLock { body(&state) } }

        func drain(_ fd: Int32, into field: WritableKeyPath<State, Data>) {
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                locked { $0[keyPath: field].append(contentsOf: buffer[0..<count]) }
            }
            close(fd)
            locked { $0.openReaders -= 1 }
        }

        func reap(_ pid: pid_t) {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let signal = status & 0x7f
            locked { $0.exit = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal) }
        }
    }
}

/// A child could not be started.
public struct SubprocessError: Error, CustomStringConvertible {
    /// What failed.
    public let message: String
    public var description: String { message }
}
