import HourlyImageAPI
import HourlyImageCore

/// The controller's port to the network: fetches a resource's image onto the volume.
public protocol ImageSource: Sendable {
    /// Fetches `url` for `key` and returns the stored image's record (fetched at `now`), or the failure with its
    /// `Degraded` reason. Only cancellation (shutdown) is thrown.
    func fetchImage(_ url: String, for key: ResourceKey, now: Timestamp) async throws -> Result<ImageRecord, FetchFailure>
}
