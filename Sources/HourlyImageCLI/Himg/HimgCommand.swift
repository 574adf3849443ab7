import ArgumentParser
import Foundation
import HourlyImageAPI
import KubeClient
import KubeStore

/// `kubectl himg`: the kubectl plugin (this binary installed as `kubectl-himg`): a summary, refresh, the page URL, logs.
struct HimgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl himg",
        abstract: "HourlyImages at a glance: what is shown, until when, why; a new image now; the page; the controller's logs.",
        discussion: "Install with `make install` (hourly-image and a kubectl-himg link beside it on PATH).",
        version: HourlyImageVersion.description,
        subcommands: [HimgGet.self, HimgRefresh.self, HimgOpen.self, HimgLogs.self]
    )
}

/// The flags kubectl users expect: which kubeconfig, context and namespace.
struct KubectlOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: "kubeconfig file; default $KUBECONFIG or ~/.kube/config.")
    var kubeconfig: String?

    @Option(name: .customLong("context"), help: "kubeconfig context; default the current context.")
    var context: String?

    @Option(name: [.customShort("n"), .customLong("namespace")], help: "namespace; default the context's, else default.")
    var namespace: String?

    /// A client for the chosen cluster and the namespace to use; a broken configuration is a clear error.
    func client() throws -> (client: KubeClient, namespace: String) {
        do {
            let connection = try KubeConfig.load(kubeconfig: kubeconfig, context: context)
            return (KubeClient(connection: connection), namespace ?? connection.namespace)
        } catch {
            throw HimgError("\(error)")
        }
    }
}

/// A failure the plugin reports in one line, exiting 1.
struct HimgError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a plugin action, turning API errors into one line on standard error and exit code 1.
func himgRun(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as HimgError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch let error as KubeAPIError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Reads one HourlyImage, with a kubectl-like message when it is not there.
func himgGet(_ client: KubeClient, namespace: String, name: String) async throws -> HourlyImage {
    do {
        return try await client.get(.hourlyImages, namespace: namespace, name: name)
    } catch KubeAPIError.notFound {
        throw HimgError("hourlyimages.\(HourlyImage.group) \"\(name)\" not found in namespace \(namespace)")
    }
}

/// `kubectl himg get [NAME]`.
struct HimgGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Summarize HourlyImages: image and photographer, expiry, grace views left, conditions, recent events.")

    @OptionGroup var kube: KubectlOptions

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "every namespace")
    var allNamespaces = false

    @Argument(help: "an HourlyImage; default every one in the namespace")
    var name: String?

    func run() async throws {
        try await himgRun {
            let (client, namespace) = try kube.client()
            let resources: [HourlyImage]
            if let name {
                resources = [try await himgGet(client, namespace: namespace, name: name)]
            } else {
                resources = try await client.listAll(.hourlyImages, namespace: allNamespaces ? nil : namespace).items
                    .sorted { ResourceKey($0) < ResourceKey($1) }
            }
            guard !resources.isEmpty else {
                print(allNamespaces ? "No HourlyImages found." : "No HourlyImages found in \(namespace) namespace.")
                return
            }
            let now = Timestamp(Date())
            var blocks: [String] = []
            var eventsByNamespace: [String: [ListedEvent]] = [:]
            for resource in resources {
                let ns = resource.metadata.namespaceOrDefault
                if eventsByNamespace[ns] == nil {
                    // Events are extra: a user who may not list them still gets the summary.
                    eventsByNamespace[ns] = (try? await client.listAll(.events, namespace: ns, as: ListedEvent.self).items) ?? []
                }
                let mine = (eventsByNamespace[ns] ?? []).filter { $0.regarding?.kind == HourlyImage.kind && $0.regarding?.name == resource.metadata.name }
                blocks.append(HimgSummary.render(resource, events: mine, now: now))
            }
            print(blocks.joined(separator: "\n"), terminator: "")
        }
    }
}

/// `kubectl himg refresh NAME`.
struct HimgRefresh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh", abstract: "Show a new image now: sets the images.dwk.dev/refresh annotation and waits until it is served.")

    @OptionGroup var kube: KubectlOptions

    @Argument(help: "the HourlyImage")
    var name: String

    @Option(help: "the annotation's value; default the current time in seconds")
    var value: String?

    @Option(help: "how long to wait for the new image (0: do not wait)")
    var timeout: DurationFlag = DurationFlag(seconds: 60)

    @Flag(help: "do not wait for the new image")
    var noWait = false

    func run() async throws {
        try await himgRun {
            let (client, namespace) = try kube.client()
            let value = self.value ?? String(Int64(Date().timeIntervalSince1970))
            guard !value.isEmpty, value.utf8.count <= 256 else { throw HimgError("--value must be 1 to 256 bytes") }
            let patch = try JSONSerialization.data(withJSONObject: ["metadata": ["annotations": [RefreshRequest.annotation: value]]])
            let before: HourlyImage
            do {
                before = try await client.mergePatch(.hourlyImages, namespace: namespace, name: name, patch)
            } catch KubeAPIError.notFound {
                throw HimgError("hourlyimages.\(HourlyImage.group) \"\(name)\" not found in namespace \(namespace)")
            }
            let token = RefreshRequest.token(value)
            if before.status?.lastRefresh == token {
                print("hourlyimage.\(HourlyImage.group)/\(name) was already refreshed with \(value); give a new --value to refresh again")
                return
            }
            print("hourlyimage.\(HourlyImage.group)/\(name) refresh requested (\(RefreshRequest.annotation)=\(value))")
            guard !noWait, timeout.seconds > 0 else { return }
            let deadline = Date().addingTimeInterval(timeout.seconds)
            while Date() < deadline {
                let now = try await himgGet(client, namespace: namespace, name: name)
                if now.status?.lastRefresh == token, let current = now.status?.current {
                    print("now serving \(StatusDisplay.imageLabel(current))\(current.author.map { " by \(HimgSummary.safe($0, 80))" } ?? "")")
                    return
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            let last = try await himgGet(client, namespace: namespace, name: name)
            let degraded = last.status?.conditions?[type: "Degraded"]
            let why = degraded?.status == .true ? ": \(HimgSummary.safe(degraded?.reason ?? "", 40)): \(HimgSummary.safe(degraded?.message ?? "", 200))" : ""
            throw HimgError("not refreshed within \(DurationFlag(seconds: timeout.seconds).defaultValueDescription)\(why); the controller keeps trying (kubectl himg get \(name))")
        }
    }
}
