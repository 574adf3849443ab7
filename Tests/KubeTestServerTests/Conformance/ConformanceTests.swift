import Foundation
@testable import KubeTestServer
import Testing

/// The test API server answers like a real kube-apiserver v1.36: every recorded step is replayed in order against
/// an empty server and compared with the recording (Tests/Conformance/kube-apiserver-v1.36/README.md).
@Suite("Conformance with recorded kube-apiserver v1.36 answers")
struct ConformanceTests {
    /// Differences accepted on purpose, each with a reason: Tests/Conformance/conformance-known-differences.json.
    struct KnownDifference {
        let step: Int
        let path: String
        let reason: String
    }

    static let conformanceDirectory = Recordings.directory.deletingLastPathComponent()

    static func knownDifferences() throws -> [KnownDifference] {
        let data = try Data(contentsOf: conformanceDirectory.appendingPathComponent("conformance-known-differences.json"))
        let entries = try #require(JSON.parse(data)?["differences"]?.arrayValue)
        return try entries.map { entry in
            KnownDifference(step: Int(try #require(entry["step"]?.intValue)), path: try #require(entry["path"]?.stringValue),
                            reason: try #require(entry["reason"]?.stringValue))
        }
    }

    /// Steps that do not match yet, each with what is missing: Tests/Conformance/conformance-not-yet.json. The list may
    /// only shrink: a listed step that starts to match fails the test until it is removed.
    static func notYet() throws -> [Int: String] {
        let data = try Data(contentsOf: conformanceDirectory.appendingPathComponent("conformance-not-yet.json"))
        let steps = try #require(JSON.parse(data)?["steps"]?.objectValue)
        return Dictionary(uniqueKeysWithValues: try steps.map { (try #require(Int($0.key)), $0.value.stringValue ?? "") })
    }

    @Test("every recorded step is answered as kube-apiserver answered it")
    func replayEveryStep() async throws {
        let steps = try Recordings.steps()
        #expect(steps.count >= 174)
        let known = try Self.knownDifferences()
        let notYet = try Self.notYet()
        let server = try await KubeTestServer.start(ConformanceReplay.serverOptions)
        let replay = ConformanceReplay(server: server)
        var report: [String] = []
        var matched = 0
        for step in steps {
            let replayed: [String]
            do {
                replayed = try await replay.replay(step)
            } catch {
                replayed = ["not replayed: \(error)"]
            }
            let differences = replayed.filter { difference in
                !known.contains { $0.step == step.number && difference.hasPrefix($0.path) }
            }
            if differences.isEmpty { matched += 1 }
            if !differences.isEmpty {
                report.append("step \(step.file) (\(step.title)):\n  " + differences.joined(separator: "\n  "))
            }
            if !differences.isEmpty, notYet[step.number] == nil {
                Issue.record("step \(step.file) (\(step.title)) differs from kube-apiserver:\n  \(differences.joined(separator: "\n  "))")
            } else if differences.isEmpty, notYet[step.number] != nil {
                Issue.record("step \(step.file) now matches: remove it from Tests/Conformance/conformance-not-yet.json")
            }
        }
        await server.stop()
        if let path = ProcessInfo.processInfo.environment["CONFORMANCE_REPORT"] {
            try report.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        print("conformance: \(matched) of \(steps.count) recorded steps match kube-apiserver v1.36; \(notYet.count) listed as not yet")
    }

    @Test("known differences name a reason and never excuse a status code or an error reason")
    func knownDifferencesAreJustified() throws {
        for entry in try Self.knownDifferences() {
            #expect(!entry.reason.trimmingCharacters(in: .whitespaces).isEmpty, "step \(entry.step): no reason")
            #expect(!entry.path.hasPrefix("response.status"), "step \(entry.step): a status code difference cannot be excused")
            #expect(!entry.path.hasSuffix(".reason") && entry.path != "response.body", "step \(entry.step): too broad or an error reason")
        }
    }

    @Test("every recording parses and steps are numbered in order")
    func recordingsParse() throws {
        let steps = try Recordings.steps()
        #expect(steps.map(\.number) == Array(1...steps.count))
        for step in steps {
            #expect(step.request != nil || step.action != nil, "\(step.file): neither request nor action")
        }
    }

    @Test("the copy in Tests/Conformance is byte for byte the one in ../shared (when that folder exists)")
    func copyMatchesShared() throws {
        let shared = Recordings.sharedDirectory
        guard FileManager.default.fileExists(atPath: shared.path) else { return }
        let names = try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted()
        let ours = try FileManager.default.contentsOfDirectory(atPath: Recordings.directory.path).sorted()
        #expect(names == ours)
        for name in names {
            let a = try Data(contentsOf: shared.appendingPathComponent(name))
            let b = try Data(contentsOf: Recordings.directory.appendingPathComponent(name))
            #expect(a == b, "\(name) differs from ../shared")
        }
    }
}
