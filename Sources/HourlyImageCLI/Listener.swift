import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WebRenderer

/// One HTTP server in the ServiceGroup; a failure to listen becomes a `ListenError` naming the address and port.
struct Listener<App: ApplicationProtocol>: Service {
    let app: App
    /// What the port is for, as the error names it (`public port (--port)`).
    let role: String
    let address: ListenAddress

    func run() async throws {
        do {
            try await app.run()
        } catch {
            guard let reason = ListenAddress.listenFailure(error) else { throw error }
            throw ListenError(role: role, address: address, reason: reason)
        }
    }
}

/// A server could not listen where it was told to.
struct ListenError: Error, CustomStringConvertible {
    let role: String
    let address: ListenAddress
    let reason: String

    var description: String { "cannot listen on \(address) for the \(role): \(reason)" }
}

/// Runs a command's services until SIGTERM or SIGINT, then stops them gracefully; a `ListenError` is logged,
/// printed on standard error, and exits 1. The one way `controller`, `web` and `standalone` run.
func runUntilSignalled(_ services: [any Service], logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    do {
        try await group.run()
    } catch let error as ListenError {
        logger.error("cannot listen", metadata: ["address": "\(error.address)", "port": "\(error.address.port)", "role": "\(error.role)", "error": "\(error.reason)"])
        FileHandle.standardError.write(Data("hourly-image: \(error)\n".utf8))
        throw ExitCode(1)
    }
}
