import Foundation

/// Why an exec credential plugin gave no credential, naming the command and what to do.
public enum ExecCredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command is not on `PATH` (or the path does not exist); `installHint` is the kubeconfig's advice.
    case notFound(command: String, searched: String, installHint: String?)
    /// The command exists but could not be started (not executable, bad interpreter).
    case cannotStart(command: String, reason: String)
    /// The plugin exited non-zero or was killed by a signal; `stderr` holds its first lines.
    case failed(command: String, exit: String, stderr: String)
    /// The plugin ran longer than allowed and was killed.
    case timedOut(command: String, seconds: Double)
    /// The plugin printed more than allowed and was killed.
    case outputTooLarge(command: String, limit: Int)
    /// The plugin's output is not a usable `ExecCredential`.
    case invalidOutput(command: String, String)

    /// How much of the plugin's stderr an error quotes.
    static let quotedStderrLines = 5
    static let quotedStderrCharacters = 600

    public var description: String {
        switch self {
        case .notFound(let command, let searched, let hint):
            "exec credential plugin \(command) not found (\(searched)); it is the kubeconfig user's exec command and must be installed where hourly-image runs"
                + (hint.map { ". Install hint from the kubeconfig: \($0)" } ?? "")
        case .cannotStart(let command, let reason):
            "exec credential plugin \(command) could not be started: \(reason)"
        case .failed(let command, let exit, let stderr):
            "exec credential plugin \(command) failed (\(exit))" + (stderr.isEmpty ? " and wrote nothing to stderr" : "; stderr: \(stderr)")
        case .timedOut(let command, let seconds):
            "exec credential plugin \(command) did not finish within \(seconds) s and was killed (hourly-image has no terminal, so a plugin waiting for input never gets any)"
        case .outputTooLarge(let command, let limit):
            "exec credential plugin \(command) printed more than \(limit) bytes and was killed"
        case .invalidOutput(let command, let why):
            "exec credential plugin \(command) did not print a usable ExecCredential: \(why)"
        }
    }

    /// The first lines of a plugin's stderr, bounded, control characters dropped, for an error message.
    static func quote(stderr: Data) -> String {
        let text = String(decoding: stderr.prefix(4 * quotedStderrCharacters), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var quoted = lines.prefix(quotedStderrLines).joined(separator: " | ")
        quoted = String(quoted.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        if quoted.count > quotedStderrCharacters { quoted = String(quoted.prefix(quotedStderrCharacters)) + "…" }
        else if lines.count > quotedStderrLines || stderr.count > 4 * quotedStderrCharacters { quoted += " …" }
        return quoted
    }
}
