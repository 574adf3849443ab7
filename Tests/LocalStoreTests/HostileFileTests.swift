import Foundation
import HourlyImageAPI
import Testing

@testable import LocalStore

/// Resource files are read like the API server reads requests: bounded, strict, and every error reported.
@Suite("Hostile resource files")
struct HostileFileTests {
    static let valid = "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: a}\nspec: {ttl: 1h}\n"

    func problems(_ file: String) -> [ResourceFileError] {
        do {
            _ = try ResourceFileLoader.load(paths: [file])
            return []
        } catch let errors as ResourceFileErrors {
            return errors.errors
        } catch {
            return [ResourceFileError(file: file, document: -1, problems: ["\(error)"])]
        }
    }

    @Test("a YAML alias bomb is refused at once, with bounded work")
    func aliasBomb() {
        let dir = TempDir()
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "spec: *a9\n"
        let file = dir.write("bomb.yaml", yaml)
        let started = ContinuousClock.now
        let errors = problems(file)
        #expect(errors.map(\.document) == [1])
        #expect(errors.first?.problems.first?.contains("more than 100000 YAML nodes") == true, "\(errors)")
        #expect(ContinuousClock.now - started < .seconds(10), "a billion laughs must not be expanded")
    }

    @Test("a syntax error in document 2 of 3 is reported for document 2, and nothing of the file is served")
    func syntaxErrorInTheMiddle() {
        let dir = TempDir()
        let file = dir.write("three.yaml", Self.valid + "---\nmetadata: {name: [unclosed\n---\n" + Self.valid.replacingOccurrences(of: "name: a", with: "name: c"))
        let errors = problems(file)
        #expect(errors.map(\.document) == [2], "\(errors)")
        #expect(errors.first?.problems.first?.contains("not valid YAML") == true)
        #expect(errors.first?.problems.first?.contains("line") == true, "line and column named: \(errors)")
    }

    @Test("a syntax error in document 1 says so, not \"no HourlyImage found\"")
    func syntaxErrorFirst() {
        let dir = TempDir()
        let file = dir.write("first.yaml", "spec: {ttl: [\n")
        let errors = problems(file)
        #expect(errors.map(\.document) == [1])
        #expect(errors.first?.problems.first?.contains("not valid YAML") == true, "\(errors)")
    }

    @Test("unknown fields are errors naming their path", arguments: [
        ("spec: {urll: https://x, ttl: 1h}", "unknown field \"spec.urll\""),
        ("frobnicate: 1\nspec: {ttl: 1h}", "unknown field \"frobnicate\""),
        ("spec: {ttl: 1h}\nmetadata: {name: a, colour: red}", "unknown field \"metadata.colour\""),
    ])
    func unknownFields(body: String, message: String) {
        let dir = TempDir()
        var text = "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\n" + body + "\n"
        if !body.contains("metadata") { text += "metadata: {name: a}\n" }
        let errors = problems(dir.write("unknown.yaml", text))
        #expect(errors.flatMap(\.problems).contains(message), "\(errors)")
    }

    @Test("a file over 4 MiB is refused without being read")
    func tooLarge() {
        let dir = TempDir()
        let file = dir.write("big.yaml", Self.valid + "# " + String(repeating: "x", count: ResourceFileLimits.maximumFileBytes) + "\n")
        let errors = problems(file)
        #expect(errors.first?.problems.first?.contains("at most \(ResourceFileLimits.maximumFileBytes) bytes") == true, "\(errors)")
    }
}
