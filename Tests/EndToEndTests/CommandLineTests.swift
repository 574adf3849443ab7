import Foundation
import TestSupport
import Testing

/// What a finished run of the binary printed.
struct BinaryRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the built `hourly-image` with `arguments` (and extra environment) to completion.
func runBinary(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
    let binary = productsDirectory().appendingPathComponent("hourly-image")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build hourly-image first (\(binary.path))")
    let inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HOURLY_IMAGE_") }
    let run = try await ChildProcess.run(binary.path, arguments, environment: inherited.merging(environment) { $1 })
    return BinaryRun(status: run.status, stdout: run.outputText, stderr: run.errorText)
}

@Suite("hourly-image's command line, the real binary")
struct CommandLineTests {
    @Test("controller --help shows duration defaults as 15s, 10s and 2s")
    func durationDefaults() async throws {
        let run = try await runBinary(["controller", "--help"])
        #expect(run.status == 0)
        for text in ["(default: 15s)", "(default: 10s)", "(default: 2s)"] { #expect(run.stdout.contains(text), "\(text) in\n\(run.stdout)") }
        #expect(!run.stdout.contains("DurationFlag"))
    }

    @Test("version and --version print the same line, with the git commit the binary was built from")
    func versionAndCommit() async throws {
        let version = try await runBinary(["version"])
        let flag = try await runBinary(["--version"])
        #expect(version.status == 0 && flag.status == 0)
        #expect(version.stdout == flag.stdout)
        let line = version.stdout.trimmingCharacters(in: .newlines)
        let match = try #require(line.wholeMatch(of: /hourly-image \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,40}(-dirty)?|unknown)\)/), "\(line)")
        // Built from a git checkout (this repository), the commit is known.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: checkout.appendingPathComponent(".git").path) {
            #expect(match.1 != "unknown")
        }
    }

    @Test("an invalid HOURLY_IMAGE_ value stops the command with an error naming the variable")
    func invalidEnvironment() async throws {
        let run = try await runBinary(["controller"], environment: ["HOURLY_IMAGE_WORKERS": "two"])
        #expect(run.status != 0)
        #expect(run.stderr.contains(#"HOURLY_IMAGE_WORKERS="two""#), "\(run.stderr)")
    }

    @Test("an unusable --data says which path and why")
    func unusableData() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("not-a-directory").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let run = try await runBinary(["standalone", "--data", file, "--port", "0", "--bind", "127.0.0.1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains(file), "\(run.stderr)")
        #expect(run.stderr.contains("is a file, not a directory"), "\(run.stderr)")
    }
}
