import Foundation
import TestSupport
import Testing

@Suite("Subprocess: the tests' posix_spawn child (Foundation's Process.run crashes on Linux)")
struct SubprocessTests {
    @Test("exit codes, signals, both streams, merged streams and the environment come back as they were")
    func outcomes() async throws {
        let run = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; echo \"$GREETING\"; exit 3"], environment: ["GREETING": "hej"])
        #expect(run.exit == .exited(3))
        #expect(run.outputText == "out\nhej\n")
        #expect(run.errorText == "err\n")

        let merged = try Subprocess("/bin/sh", ["-c", "echo one; echo two >&2"], errorsToOutput: true)
        #expect(await merged.wait(timeout: .seconds(20)) == .exited(0))
        #expect(String(decoding: merged.output, as: UTF8.self).split(separator: "\n").sorted() == ["one", "two"])

        let sleeper = try Subprocess("/bin/sleep", ["30"])
        #expect(sleeper.isRunning)
        sleeper.signal(SIGTERM)
        #expect(await sleeper.wait(timeout: .seconds(20)) == .signalled(SIGTERM))
    }

    @Test("a child inherits standard input from /dev/null and none of this process's other descriptors")
    func descriptors() async throws {
        let kept = open("/dev/null", O_RDONLY)  // not close-on-exec: Process would pass it on without closefrom
        defer { close(kept) }
        let run = try await ChildProcess.run("/bin/sh", ["-c", "ls /proc/self/fd; readlink /proc/self/fd/0"])
        let lines = run.outputText.split(separator: "\n")
        #expect(lines.last == "/dev/null")
        // 0, 1, 2, and the descriptor ls opens to read the directory (3).
        #expect(lines.dropLast().compactMap { Int($0) }.allSatisfy { $0 <= 3 }, "\(run.outputText)")
    }

    @Test("a child that outlives its timeout is killed")
    func timeout() async throws {
        let run = try await ChildProcess.run("/bin/sleep", ["30"], timeout: .milliseconds(200))
        #expect(run.exit == .signalled(SIGKILL))
    }
}
