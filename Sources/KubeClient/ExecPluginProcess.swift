import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one credential-plugin process to completion: standard input from /dev/null (never a terminal), standard
/// output and error read with bounds, a deadline after which the plugin's whole process group is killed.
///
/// Blocks the calling thread for up to `timeout` seconds: call it only from a thread of its own, never from the
/// Swift concurrency pool.
struct ExecPluginProcess {
    /// How the plugin ended and what it printed.
    struct Outcome {
        /// `exit code 3` or `killed by signal 9`; nil when it exited 0.
        var failure: String?
        var stdout: Data
        var stderr: Data
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// Seconds the plugin may run.
    var timeout: Double
    /// The most standard output accepted; more kills the plugin. Standard error beyond it is read and dropped.
    var outputLimit: Int

    /// Finds `command` as client-go does: a name without a slash is looked up in `PATH`, a path is used as it is.
    static func locate(_ command: String, path: String?, installHint: String?) throws(ExecCredentialError) -> String {
        if command.contains("/") {
            guard FileManager.default.fileExists(atPath: command) else {
                throw .notFound(command: command, searched: "no such file", installHint: installHint)
            }
            return command
        }
        let directories = (path ?? "").split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : String($0) }
        for directory in directories {
            let candidate = directory + "/" + command
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                access(candidate, X_OK) == 0
            {
                return candidate
            }
        }
        let shown = directories.count > 8 ? directories.prefix(8).joined(separator: ":") + ":…" : directories.joined(separator: ":")
        throw .notFound(command: command, searched: directories.isEmpty ? "PATH is empty" : "searched PATH \(shown)", installHint: installHint)
    }

    /// Starts the plugin and waits for it, its output and its exit.
    func run() throws(ExecCredentialError) -> Outcome {
        let out = try Self.makePipe(executable)
        let err: (read: Int32, write: Int32)
        do { err = try Self.makePipe(executable) } catch {
            close(out.read); close(out.write)
            throw error
        }
        let pid: pid_t
        do { pid = try spawn(stdout: out.write, stderr: err.write) } catch {
            for fd in [out.read, out.write, err.read, err.write] { close(fd) }
            throw error
        }
        close(out.write)
        close(err.write)
        defer { close(out.read); close(err.read) }
        return try collect(pid: pid, stdout: out.read, stderr: err.read)
    }

    /// Reads both pipes until the plugin is done, the deadline passes or stdout overflows; always reaps the child.
    private func collect(pid: pid_t, stdout outFD: Int32, stderr errFD: Int32) throws(ExecCredentialError) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        var stdout = Data()
        var stderr = Data()
        var openPipes: [Int32] = [outFD, errFD]
        var exitStatus: Int32?
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        func killGroup() {
            _ = killpg(pid, SIGKILL)  // the plugin leads its own group: this reaches the children it started, too
            exitStatus = Self.reap(pid, blocking: true)
        }
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                killGroup()
                throw .timedOut(command: executable, seconds: timeout)
            }
            if openPipes.isEmpty {
                // Both pipes closed; the plugin may still be running (it closed them itself): wait for it, bounded.
                if exitStatus != nil { break }
                if let status = Self.reap(pid, blocking: false) { exitStatus = status; break }
                usleep(5_000)
                continue
            }
            var fds = openPipes.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // After the plugin exited, what it wrote is already in the pipes: do not wait for children that kept them open.
            let wait = exitStatus != nil ? 0 : Int32(min(remaining, 0.2) * 1000) + 1
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                killGroup()
                throw .cannotStart(command: executable, reason: "poll failed: \(String(cString: strerror(errno)))")
            }
            if ready == 0, exitStatus != nil { break }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    openPipes.removeAll { $0 == entry.fd }
                    continue
                }
                if entry.fd == outFD {
                    stdout.append(contentsOf: buffer[0..<count])
                    if stdout.count > outputLimit {
                        killGroup()
                        throw .outputTooLarge(command: executable, limit: outputLimit)
                    }
                } else if stderr.count < outputLimit {
                    stderr.append(contentsOf: buffer[0..<min(count, outputLimit - stderr.count)])
                }
            }
            if exitStatus == nil, let status = Self.reap(pid, blocking: false) { exitStatus = status }
        }
        return Outcome(failure: Self.describe(exitStatus ?? 0), stdout: stdout, stderr: stderr)
    }

    /// A non-blocking pipe pair whose ends are closed on exec (only the dup2'ed copies reach the plugin).
    private static func makePipe(_ command: String) throws(ExecCredentialError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        // pipe2(O_CLOEXEC) is not visible from Swift: another spawn in between may inherit an end; `collect` copes
        // with a pipe that stays open after the plugin exited, and the plugin itself inherits nothing (see `spawn`).
        let result = pipe(&fds)
        if result == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        guard result == 0 else { throw .cannotStart(command: command, reason: "no pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    /// posix_spawn in a new process group, stdin /dev/null, default signal handling, no other descriptors inherited.
    private func spawn(stdout: Int32, stderr: Int32) throws(ExecCredentialError) -> pid_t {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing else of ours (API server sockets, files other threads are writing) reaches the plugin, CLOEXEC or
        // not: a leaked descriptor would outlive us in the plugin's children.
        #if canImport(Glibc)
        if let addCloseFrom = Self.addCloseFrom {
            _ = addCloseFrom(&actions, 3)
        } else {
            for fd in Self.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        #endif
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        #if canImport(Darwin)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_CLOEXEC_DEFAULT))
        #else
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        #endif

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        // ETXTBSY: a process forked elsewhere in this program still holds the just-written file open for writing
        // until it execs; that passes within milliseconds.
        for _ in 0..<50 where result == ETXTBSY {
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        }
        guard result == 0 else {
            throw .cannotStart(command: executable, reason: String(cString: strerror(result)))
        }
        return pid
    }

    #if canImport(Glibc)
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift cannot see without _GNU_SOURCE.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }
    #endif

    /// This process's open descriptors (Linux: /proc/self/fd), for glibc without closefrom; racy, hence the fallback only.
    private static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }
    }

    /// waitpid for this child; nil while it still runs (non-blocking).
    private static func reap(_ pid: pid_t, blocking: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { return status }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            return 0  // ECHILD: someone else reaped it; nothing more to learn
        }
    }

    /// `exit code N` / `killed by signal N` for a wait status; nil for a clean exit.
    private static func describe(_ status: Int32) -> String? {
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return code == 0 ? nil : "exit code \(code)"
        }
        return "killed by signal \(signal)"
    }
}
