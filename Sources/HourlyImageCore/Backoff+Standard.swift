import SystemSupport

extension Backoff {
    /// The schedule after failed fetches, of docs/design.md: 5 s, 10 s, 20 s … capped at 300 s, ±10 %.
    public static let standard = Backoff(initial: 5, maximum: 300, jitter: 0.1)
}
