import ArgumentParser

/// Where the image volume is mounted, shared by `controller` and `web`.
struct VolumeOptions: ParsableArguments {
    @Option(name: .customLong("volume-root"), help: "Root of the image volume (HOURLY_IMAGE_VOLUME_ROOT).")
    var root: String = Env.value("VOLUME_ROOT") ?? "/data"
}
