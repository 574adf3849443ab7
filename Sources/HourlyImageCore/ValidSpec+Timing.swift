import HourlyImageAPI

extension ValidSpec {
    /// When an image that became current at `since` stops being fresh: the next scheduled time, else `since + ttl`.
    public func expiry(servedSince since: Timestamp) -> Timestamp {
        schedule?.next(after: since) ?? since + ttl
    }

    /// When the image after one expiring at `expiresAt` is fetched: `leadTime` before a scheduled change, at expiry
    /// with a TTL.
    public func prefetchAt(expiresAt: Timestamp) -> Timestamp {
        schedule == nil ? expiresAt : expiresAt.adding(seconds: -leadTime.seconds)
    }

    /// The latest time to look again from `now`: a clock that jumped back never makes a resource wait longer than one
    /// TTL, or than the next scheduled time.
    public func longestWait(from now: Timestamp) -> Timestamp {
        schedule.map { $0.next(after: now) ?? now + ttl } ?? now + ttl
    }
}
