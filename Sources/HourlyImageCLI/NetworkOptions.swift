import ArgumentParser
import ImageFetch

/// The fetcher's address allow-list flags.
struct NetworkOptions: ParsableArguments {
    @Flag(name: .customLong("allow-private-networks"), help: "Allow image sources on private, loopback and link-local addresses (HOURLY_IMAGE_ALLOW_PRIVATE_NETWORKS).")
    var allowPrivateNetworksFlag = false

    /// The flag, else `HOURLY_IMAGE_ALLOW_PRIVATE_NETWORKS` (a `@Flag` cannot default to true).
    var allowPrivateNetworks: Bool { allowPrivateNetworksFlag || Env.flag("ALLOW_PRIVATE_NETWORKS") }

    func validate() throws {
        _ = allowPrivateNetworks  // reads the variable, so an invalid value is reported here
        try Env.validate()
    }

    @Option(help: "Allow image sources in this address range, e.g. 10.0.0.0/8; repeatable (HOURLY_IMAGE_ALLOW_CIDR, comma-separated).")
    var allowCIDR: [String] = Env.list("ALLOW_CIDR")

    /// Fetch options with the allow-list applied.
    func fetchOptions() throws -> FetchOptions {
        var options = FetchOptions()
        var ranges: [CIDR] = []
        for text in allowCIDR {
            guard let range = CIDR(text) else { throw ValidationError("--allow-cidr \(text) is not an address range like 10.0.0.0/8") }
            ranges.append(range)
        }
        options.addressPolicy = AddressPolicy(allowPrivateNetworks: allowPrivateNetworks, allowedRanges: ranges)
        return options
    }
}
