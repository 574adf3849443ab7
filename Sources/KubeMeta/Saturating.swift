/// Counting that cannot trap: values read from a resource, a file or the API (grace views, failures, generations,
/// lease transitions) are hostile input, and `x + 1` on `Int.max` would crash the process that serves everyone.
extension Int {
    /// `self + 1`, or `Int.max` when that would overflow.
    public var saturatingSuccessor: Int { self == .max ? .max : self + 1 }
}

extension Int64 {
    /// `self + 1`, or `Int64.max` when that would overflow.
    public var saturatingSuccessor: Int64 { self == .max ? .max : self + 1 }

    /// `self + other`, clamped to the representable range instead of trapping.
    public func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}

extension Double {
    /// The whole number of seconds below this value as an Int64, clamped (and NaN as 0), never trapping.
    public var clampedWholeSeconds: Int64 {
        guard !isNaN else { return 0 }
        let floored = rounded(.down)
        if floored >= 9.2e18 { return .max }
        if floored <= -9.2e18 { return .min }
        return Int64(floored)
    }
}
