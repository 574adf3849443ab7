import ArgumentParser
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
}

/// `hourly-image version`: prints the version and commit, as `--version` does.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print(HourlyImageVersion.description)
    }
}
