import ArgumentParser
import Foundation
import Testing

@testable import HourlyImageCLI

/// One documented variable of one command: a value to set and how to read back what the command would use.
struct EnvCase: Sendable, CustomStringConvertible {
    let command: String
    let variable: String
    let value: String
    let expected: String
    let read: @Sendable () throws -> String

    init(_ command: String, _ variable: String, _ value: String, expected: String? = nil, _ read: @escaping @Sendable () throws -> String) {
        self.command = command
        self.variable = variable
        self.value = value
        self.expected = expected ?? value
        self.read = read
    }

    var description: String { "\(command) HOURLY_IMAGE_\(variable)" }
}

/// Runs `body` as if `HOURLY_IMAGE_<name>` were set to `value` (and no other variable were).
func withEnv<T>(_ name: String, _ value: String, _ body: () throws -> T) rethrows -> T {
    defer { Env.clearProblems() }
    return try Env.$overrides.withValue(["HOURLY_IMAGE_" + name: value]) { try body() }
}

@Suite("Environment variables", .serialized)
struct EnvironmentTests {
    static let commands: [(String, any ParsableCommand.Type)] = [
        ("standalone", StandaloneCommand.self), ("controller", ControllerCommand.self), ("web", WebCommand.self),
    ]

    /// Every variable the commands' help mentions, with a check that setting it changes what the command uses.
    static let cases: [EnvCase] = {
        var cases = [
            EnvCase("standalone", "FILENAME", "a.yaml,b.yaml", expected: "a.yaml|b.yaml") { try StandaloneCommand.parse([]).files.joined(separator: "|") },
            EnvCase("standalone", "DATA", "/tmp/env-data") { try StandaloneCommand.parse([]).data },
            EnvCase("controller", "NAMESPACE", "team-a") { try ControllerCommand.parse([]).namespace ?? "" },
            EnvCase("controller", "VOLUME_ROOT", "/vol") { try ControllerCommand.parse([]).volume.root },
            EnvCase("controller", "WORKERS", "7") { "\(try ControllerCommand.parse([]).workers)" },
            EnvCase("controller", "NO_LEADER_ELECT", "true") { "\(try ControllerCommand.parse([]).noLeaderElect)" },
            EnvCase("controller", "LEASE_NAMESPACE", "leases") { try ControllerCommand.parse([]).leaseNamespace ?? "" },
            EnvCase("controller", "PROBE_PORT", "9091") { "\(try ControllerCommand.parse([]).probePort)" },
            EnvCase("controller", "PROBE_BIND", "127.0.0.2") { try ControllerCommand.parse([]).probeBind },
            EnvCase("web", "NAMESPACE", "team-b") { try WebCommand.parse([]).namespace ?? "" },
            EnvCase("web", "VOLUME_ROOT", "/vol-web") { try WebCommand.parse([]).volume.root },
        ]
        for (name, command) in commands {
            cases += [
                EnvCase(name, "LOG_LEVEL", "debug") { "\(try (command.parseAsRoot([]) as? any HasCommonOptions)?.commonOptions.logLevel.rawValue ?? "")" },
                EnvCase(name, "LOG_FORMAT", "json") { "\(try (command.parseAsRoot([]) as? any HasCommonOptions)?.commonOptions.logFormat.rawValue ?? "")" },
            ]
        }
        for (name, parse) in [("controller", { @Sendable in try ControllerCommand.parse([]).cluster }), ("web", { @Sendable in try WebCommand.parse([]).cluster })] as [(String, @Sendable () throws -> ClusterOptions)] {
            cases += [
                EnvCase(name, "KUBECONFIG", "/tmp/env-kubeconfig") { try parse().kubeconfig ?? "" },
                EnvCase(name, "CONTEXT", "kind-env") { try parse().context ?? "" },
            ]
        }
        for (name, parse) in [("standalone", { @Sendable in try StandaloneCommand.parse([]).page }), ("web", { @Sendable in try WebCommand.parse([]).page })] as [(String, @Sendable () throws -> PageOptions)] {
            cases += [
                EnvCase(name, "PORT", "9090") { "\(try parse().port)" },
                EnvCase(name, "BIND", "127.0.0.3") { try parse().bind },
                EnvCase(name, "ADMIN_PORT", "9091") { "\(try parse().adminPort)" },
                EnvCase(name, "ADMIN_BIND", "127.0.0.4") { try parse().adminBind },
                EnvCase(name, "IMAGE", "default/env-image") { try parse().image ?? "" },
            ]
        }
        for (name, parse) in [("standalone", { @Sendable in try StandaloneCommand.parse([]).network }), ("controller", { @Sendable in try ControllerCommand.parse([]).network })] as [(String, @Sendable () throws -> NetworkOptions)] {
            cases += [
                EnvCase(name, "ALLOW_PRIVATE_NETWORKS", "yes", expected: "true") { "\(try parse().allowPrivateNetworks)" },
                EnvCase(name, "ALLOW_CIDR", "10.0.0.0/8, 192.168.0.0/16", expected: "10.0.0.0/8|192.168.0.0/16") { try parse().allowCIDR.joined(separator: "|") },
            ]
        }
        return cases
    }()

    @Test("every (HOURLY_IMAGE_X) in a command's --help has a check below", arguments: commands.map(\.0))
    func documentedVariablesAreChecked(_ name: String) throws {
        let command = try #require(Self.commands.first { $0.0 == name }?.1)
        let help = command.helpMessage(columns: 2000)
        let documented = Set(help.matches(of: /HOURLY_IMAGE_([A-Z0-9_]+)/).map { String($0.1) })
        #expect(!documented.isEmpty)
        let checked = Set(Self.cases.filter { $0.command == name }.map(\.variable))
        #expect(documented.subtracting(checked).isEmpty, "documented but not checked: \(documented.subtracting(checked).sorted())")
        #expect(checked.subtracting(documented).isEmpty, "checked but not documented: \(checked.subtracting(documented).sorted())")
    }

    @Test("a documented variable is read: setting it changes the value the command uses", arguments: cases)
    func variableIsRead(_ check: EnvCase) throws {
        let without = try Env.$overrides.withValue([:]) { try check.read() }
        #expect(without != check.expected, "the default already equals the test value")
        let with = try withEnv(check.variable, check.value) { try check.read() }
        #expect(with == check.expected)
    }

    @Test(
        "an invalid value is an error naming the variable, not a silent default",
        arguments: [("WORKERS", "two"), ("PROBE_PORT", "80a"), ("LOG_LEVEL", "verbose"), ("LOG_FORMAT", "xml"), ("NO_LEADER_ELECT", "maybe")])
    func invalidValue(_ variable: String, _ value: String) {
        let message: String? = withEnv(variable, value) {
            do {
                _ = try ControllerCommand.parse([])
                return nil
            } catch {
                return ControllerCommand.message(for: error)
            }
        }
        #expect(message?.contains("HOURLY_IMAGE_\(variable)=\"\(value)\"") == true, "\(message ?? "no error")")
    }
}

@Suite("controller --workers")
struct WorkersOptionTests {
    @Test("--workers outside 1...64 is refused with the range, from the flag or the environment", arguments: ["0", "-3", "65", "100000000"])
    func outOfRange(_ value: String) {
        for parse in [{ try ControllerCommand.parse(["--workers=\(value)"]) }, { try withEnv("WORKERS", value) { try ControllerCommand.parse([]) } }] {
            let message: String? = {
                do {
                    _ = try parse()
                    return nil
                } catch {
                    return ControllerCommand.message(for: error)
                }
            }()
            #expect(message?.contains("from 1 to 64") == true, "\(message ?? "no error")")
        }
    }

    @Test("8 concurrent reconciles by default")
    func defaultWorkers() throws {
        #expect(try Env.$overrides.withValue([:]) { try ControllerCommand.parse([]).workers } == 8)
    }
}

/// Commands whose shared options tests read.
protocol HasCommonOptions {
    var commonOptions: CommonOptions { get }
}

extension StandaloneCommand: HasCommonOptions { var commonOptions: CommonOptions { common } }
extension ControllerCommand: HasCommonOptions { var commonOptions: CommonOptions { common } }
extension WebCommand: HasCommonOptions { var commonOptions: CommonOptions { common } }
