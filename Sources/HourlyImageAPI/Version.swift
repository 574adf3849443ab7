import CBuildInfo

/// The program's version, shown by `hourly-image version` and `--version` and sent in `User-Agent`.
public enum HourlyImageVersion {
    /// The semantic version of this build.
    public static let current = "0.1.0"
    /// The git commit this binary was built from (12 hex digits, `-dirty` if the tree had changes), or `unknown`.
    public static let commit = String(cString: hi_build_commit())
    /// What `version` and `--version` print: `hourly-image 0.1.0 (commit 0123456789ab)`.
    public static var description: String { "hourly-image \(current) (commit \(commit))" }
}
