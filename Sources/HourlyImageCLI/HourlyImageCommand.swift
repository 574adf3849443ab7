import ArgumentParser
import Foundation
import HourlyImageAPI

/// The `hourly-image` command: subcommands for each way the program runs.
@main
struct HourlyImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hourly-image",
        abstract: "Keeps an hourly image for a web page: a Kubernetes operator and a standalone server.",
        version: HourlyImageVersion.description,
        subcommands: [StandaloneCommand.self, ControllerCommand.self, WebCommand.self, VersionCommand.self]
    )

    /// The name kubectl finds the plugin by; this binary run under it is `kubectl himg`.
    static let pluginName = "kubectl-himg"

    /// Runs `hourly-image`, or `kubectl himg` when started as `kubectl-himg` (a link to this binary).
    static func main() async {
        let invokedAs = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent }
        let root: any ParsableCommand.Type = invokedAs == pluginName ? HimgCommand.self : HourlyImageCommand.self
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try root.parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            root.exit(withError: error)
        }
    }
}

/// `hourly-image version`: prints the version and commit, as `--version` does.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print(HourlyImageVersion.description)
    }
}
