import Foundation
import TestSupport
import Testing

@testable import KubeClient

@Suite("exec credential plugins that fail, hang, print garbage or are missing")
struct ExecCredentialErrorTests {
    @Test("a non-zero exit names the command and the exit code and quotes the first lines of stderr, bounded")
    func nonZeroExit() async throws {
        let plugins = PluginDir()
        let script = plugins.script("plugin", """
            echo 'error: SSO session expired' >&2
            echo 'run: aws sso login' >&2
            i=0; while [ $i -lt 500 ]; do echo "noise line $i with some padding to make it long" >&2; i=$((i+1)); done
            exit 3
            """)
        let plugin = ExecCredentialPlugin(config: execConfig(script))
        let error = try await failure(of: plugin)
        guard case .failed(let command, let exit, let stderr) = error else { Issue.record("\(error)"); return }
        #expect(command == script)
        #expect(exit == "exit code 3")
        #expect(stderr.hasPrefix("error: SSO session expired | run: aws sso login"))
        #expect(stderr.count <= ExecCredentialError.quotedStderrCharacters + 2)
        #expect(!stderr.contains("noise line 10"))
        #expect("\(error)".contains("failed (exit code 3)"))
    }

    @Test("a plugin killed by a signal says so")
    func killedBySignal() async throws {
        let plugins = PluginDir()
        let plugin = ExecCredentialPlugin(config: execConfig(plugins.script("plugin", "kill -9 $$")))
        let error = try await failure(of: plugin)
        guard case .failed(_, let exit, _) = error else { Issue.record("\(error)"); return }
        #expect(exit == "killed by signal 9")
    }

    static let v1 = ExecConfig.APIVersion.v1.rawValue

    @Test("output that is not a usable ExecCredential is refused, saying why, without echoing it", arguments: [
        ("garbage, not JSON: s3cr3t-token", "not a JSON object"),
        ("", "printed nothing"),
        ("[1, 2]", "not a JSON object"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":42}}"#, "wrong type"),
        (execCredentialJSON(kind: "Secret", token: "t"), "kind is \"Secret\""),
        (execCredentialJSON("v1", token: "t"), "apiVersion is \"v1\""),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#, "no status"),
        (execCredentialJSON(), "neither a token nor a client certificate"),
        (execCredentialJSON(token: ""), "neither a token nor a client certificate"),
        (execCredentialJSON(certificate: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"), "without a key"),
        (execCredentialJSON(certificate: "not pem", key: "not pem"), "not a PEM certificate"),
        (execCredentialJSON(token: "t", expiration: "tomorrow"), "not an RFC 3339 time"),
    ])
    func invalidOutput(output: String, reason: String) async throws {
        let plugins = PluginDir()
        let plugin = ExecCredentialPlugin(config: execConfig(plugins.script("plugin", prints(output))))
        let error = try await failure(of: plugin)
        guard case .invalidOutput(_, let why) = error else { Issue.record("\(error)"); return }
        #expect(why.contains(reason), "\(why)")
        #expect(!"\(error)".contains("s3cr3t"), "stdout may hold a secret")
    }

    @Test("a missing command names itself, where it was looked for, and the installHint")
    func missingCommand() throws {
        let dir = ConfigDir()
        let file = dir.write("config", execKubeconfig(exec: """
            apiVersion: client.authentication.k8s.io/v1beta1
            command: hourly-image-test-no-such-plugin
            installHint: |
              Install it with: apt-get install hourly-image-test-plugin
            """))
        let source = try #require(try KubeConfig.fromFiles([file], environment: ["PATH": dir.path + "/bin:/nonexistent"]).token)
        #expect { try source.credential() } throws: { error in
            guard case .notFound(let command, let searched, let hint) = error as? ExecCredentialError else { return false }
            let text = "\(error)"
            return command == "hourly-image-test-no-such-plugin" && searched.contains(dir.path + "/bin")
                && hint?.contains("apt-get install hourly-image-test-plugin") == true && text.contains("apt-get install")
        }
        let relative = dir.write("relative", execKubeconfig(exec: "apiVersion: client.authentication.k8s.io/v1\ncommand: ./missing\ninteractiveMode: Never"))
        #expect { try #require(try KubeConfig.fromFiles([relative]).token).credential() } throws: { error in
            guard case .notFound(let command, _, let hint) = error as? ExecCredentialError else { return false }
            return command == dir.path + "/./missing" && hint == nil
        }
    }

    @Test("a file that is not executable cannot be started")
    func notExecutable() async throws {
        let plugins = PluginDir()
        let file = plugins.dir.write("plain", "#!/bin/sh\necho hi\n")
        let error = try await failure(of: ExecCredentialPlugin(config: execConfig(file)))
        guard case .cannotStart = error else { Issue.record("\(error)"); return }
    }

    @Test("a plugin that hangs is killed at the deadline, with the children it started")
    func hangs() async throws {
        let plugins = PluginDir()
        let pidFile = plugins.path + "/child.pid"
        let script = plugins.script("plugin", "sleep 30 &\necho $! > '\(pidFile)'\nsleep 30")
        // 3 s lets a loaded machine's shell write the child's pid first; well under the 30 s sleeps, so returning
        // before them proves the deadline fired.
        let plugin = ExecCredentialPlugin(config: execConfig(script), timeout: 3)
        let started = ContinuousClock.now
        let error = try await failure(of: plugin)
        #expect(ContinuousClock.now - started < .seconds(25))
        guard case .timedOut(_, let seconds) = error else { Issue.record("\(error)"); return }
        #expect(seconds == 3)
        let child = try #require(Int32(plugins.read("child.pid")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        // The background sleep was in the plugin's process group: it is gone (or a zombie of an exited shell) now.
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(child, 0) != 0 || Self.isZombie(child)
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone)
    }

    @Test("a plugin that exits while a child keeps its stdout open is not waited for")
    func exitsLeavingChild() async throws {
        let plugins = PluginDir()
        // The child outlives the plugin by 30 s; returning well before that proves it was not waited for, with room
        // for a two-core machine running the whole suite beside it (a fresh-clone run once took 5.7 s to return).
        let script = plugins.script("plugin", "(sleep 30; echo late) &\n" + printsRunToken())
        let plugin = ExecCredentialPlugin(config: execConfig(script), timeout: 60)
        // Timed on the plugin's own thread: resuming this test on a busy cooperative pool is not the plugin's time.
        let (token, elapsed) = try await onOwnThread {
            let started = ContinuousClock.now
            let token = try plugin.credential().token
            return (token, ContinuousClock.now - started)
        }
        #expect(token == "tok-1")
        #expect(elapsed < .seconds(20))
    }

    @Test("stdout beyond the limit kills the plugin; a flood of stderr is cut, not fatal")
    func outputBounds() async throws {
        let plugins = PluginDir()
        let flood = plugins.script("flood", "while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done")
        let error = try await failure(of: ExecCredentialPlugin(config: execConfig(flood), timeout: 20, outputLimit: 4096))
        guard case .outputTooLarge(_, let limit) = error else { Issue.record("\(error)"); return }
        #expect(limit == 4096)
        let noisy = plugins.script("noisy", "i=0; while [ $i -lt 2000 ]; do echo 'warning: noise on stderr' >&2; i=$((i+1)); done\n" + printsRunToken())
        let plugin = ExecCredentialPlugin(config: execConfig(noisy), timeout: 20, outputLimit: 4096)
        #expect(try await onOwnThread { try plugin.credential() }.token == "tok-1")
    }

    @Test("the plugin inherits none of our descriptors beyond stdin, stdout and stderr")
    func noInheritedDescriptors() async throws {
        let plugins = PluginDir()
        let held = plugins.path + "/held-open"
        let fd = open(held, O_WRONLY | O_CREAT, 0o644)  // deliberately without O_CLOEXEC
        #expect(fd > 2)
        defer { close(fd) }
        let script = plugins.script("plugin", "readlink /proc/$$/fd/\(fd) > '\(plugins.path)/seen' 2>/dev/null\n" + printsRunToken())
        _ = try await onOwnThread { try ExecCredentialPlugin(config: execConfig(script)).credential() }
        #expect(plugins.read("seen")?.contains("held-open") != true)
    }

    /// Runs the plugin, expecting an ExecCredentialError.
    private func failure(of plugin: ExecCredentialPlugin) async throws -> ExecCredentialError {
        do {
            let credential = try await onOwnThread { try plugin.credential() }
            Issue.record("expected a failure, got \(credential)")
        } catch let error as ExecCredentialError {
            return error
        }
        throw CancellationError()
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat").map { String(decoding: $0, as: UTF8.self) } ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }
}
