/// The program's version, shown by `hourly-image version` and sent in `User-Agent`.
public enum HourlyImageVersion {
    /// The semantic version of this build.
    public static let current = "0.1.0"
}
