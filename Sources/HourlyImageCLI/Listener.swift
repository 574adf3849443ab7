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

extension ServiceGroup {
    /// Runs the group; a `ListenError` is logged and printed on standard error, and exits 1.
    func runReportingListenErrors(logger: Logger) async throws {
        do {
            try await run()
        } catch let error as ListenError {
            logger.error("cannot listen", metadata: ["address": "\(error.address)", "port": "\(error.address.port)", "role": "\(error.role)", "error": "\(error.reason)"])
            FileHandle.standardError.write(Data("hourly-image: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
