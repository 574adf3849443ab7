/// A retry schedule: a delay doubling from `initial` to `maximum`, with bounded jitter. The one formula every retry uses.
public struct Backoff: Sendable, Hashable {
    /// Delay after the first failure, in seconds.
    public var initial: Double
    /// Largest delay before jitter, in seconds.
    public var maximum: Double
    /// Jitter as a fraction of the delay: the result lies within ±`jitter` of the base delay.
    public var jitter: Double

    /// Creates a schedule.
    public init(initial: Double, maximum: Double, jitter: Double) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before jitter after `failures` failures in a row (1 = the first failure).
    public func baseDelay(failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 32)
        return min(initial * Double(1 << doublings), maximum)
    }

    /// The delay after `failures` failures; `unit` is a random number in [0, 1) supplied by the caller.
    public func delay(failures: Int, unit: Double) -> Double {
        let base = baseDelay(failures: failures)
        let clamped = unit.isNaN ? 0.5 : min(max(unit, 0), 1)
        return base * (1 - jitter + 2 * jitter * clamped)
    }

    /// The longest delay this schedule can return.
    public var longestDelay: Double { maximum * (1 + jitter) }
}
