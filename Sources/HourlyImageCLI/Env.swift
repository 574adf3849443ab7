import ArgumentParser
import Foundation
import Synchronization

/// Environment variables: a flag documented with `(HOURLY_IMAGE_<NAME>)` reads `HOURLY_IMAGE_<NAME>` as its default.
///
/// A value that does not parse is not a silent fallback to the built-in default: it is recorded here, and
/// ``CommonOptions``'s validation fails naming the variable before anything runs.
enum Env {
    /// The prefix every variable has.
    static let prefix = "HOURLY_IMAGE_"

    /// Values that did not parse, in the order they were read: `HOURLY_IMAGE_WORKERS="two" is not an integer`.
    private static let invalid = Mutex<[String]>([])

    /// The first invalid value read, as a message naming the variable.
    static var firstProblem: String? { invalid.withLock { $0.first } }

    /// Throws the first invalid `HOURLY_IMAGE_*` value read so far as a usage error; each `validate()` that reads a
    /// variable (through a computed flag) calls it after reading.
    static func validate() throws {
        if let problem = firstProblem { throw ValidationError(problem) }
    }

    /// Variables read instead of the process environment, for the current task (tests; `setenv` races other threads).
    @TaskLocal static var overrides: [String: String]?

    /// The value of `HOURLY_IMAGE_<name>`, if set and not empty.
    static func value(_ name: String) -> String? {
        guard let value = (overrides ?? ProcessInfo.processInfo.environment)[prefix + name], !value.isEmpty else { return nil }
        return value
    }

    /// The variable parsed as a flag value would be (an integer, one of an enum's values); nil if unset,
    /// and nil with a recorded problem if it does not parse.
    static func parsed<T: ExpressibleByArgument>(_ name: String, as type: T.Type = T.self) -> T? {
        guard let text = value(name) else { return nil }
        if let parsed = T(argument: text) { return parsed }
        let choices = T.allValueStrings
        let expected = !choices.isEmpty ? "one of \(choices.joined(separator: ", "))" : T.self is any BinaryInteger.Type ? "an integer" : "a valid \(T.self)"
        record("\(prefix)\(name)=\"\(text)\" is not valid: expected \(expected)")
        return nil
    }

    /// A list from a comma-separated variable.
    static func list(_ name: String) -> [String] {
        value(name)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
    }

    /// A boolean variable: `1`, `true`, `yes` or `0`, `false`, `no` (any case); unset is false, anything else a problem.
    static func flag(_ name: String) -> Bool {
        guard let text = value(name)?.lowercased() else { return false }
        if ["1", "true", "yes"].contains(text) { return true }
        if ["0", "false", "no"].contains(text) { return false }
        record("\(prefix)\(name)=\"\(text)\" is not valid: expected true or false (1/0, yes/no)")
        return false
    }

    /// Forgets recorded problems (tests that set and unset variables in one process).
    static func clearProblems() { invalid.withLock { $0.removeAll() } }

    private static func record(_ problem: String) {
        invalid.withLock { if !$0.contains(problem) { $0.append(problem) } }
    }
}
