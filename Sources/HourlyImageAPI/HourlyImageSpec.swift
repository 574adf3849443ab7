/// What the user asks for: where images come from, how long each is served, how many grace views.
///
/// Fields are kept as written (a bad `ttl` decodes fine) so that validation can report every
/// problem at once; `validated()` turns a spec into a `ValidSpec` or a list of issues.
/// Absent fields take the defaults of docs/design.md, the same ones the CRD schema declares.
public struct HourlyImageSpec: Sendable, Hashable, Codable {
    /// The default source: a random 1200×1200 image from Lorem Picsum.
    public static let defaultURL = "https://picsum.photos/1200"
    /// The default time one image is served.
    public static let defaultTTL = "1h"
    /// The default number of page views an expired image may still get.
    public static let defaultGraceCount = 1
    /// The default number of images kept on the volume, current included.
    public static let defaultKeep = 3

    /// Image source, http or https.
    public var url: String
    /// How long one image is served, as a duration string (`90s`, `10m`, `1h30m`).
    public var ttl: String
    /// Page views the expired image may still get before it is replaced.
    public var graceCount: Int
    /// When true, keep serving but stop fetching.
    public var suspend: Bool
    /// Images kept on the volume, current included.
    public var keep: Int
    /// When set, images change on these wall-clock boundaries instead of after `ttl` (`@hourly`, `@daily`, or five cron
    /// fields); see `Schedule`.
    public var schedule: String?
    /// The IANA time zone of `schedule` (`Europe/Helsinki`); UTC when absent.
    public var timeZone: String?
    /// How long before a scheduled change the next image is fetched (a duration string); 1m when absent.
    public var leadTime: String?

    /// The lead time when `leadTime` is absent.
    public static let defaultLeadTime = "1m"

    /// Creates a spec; every argument defaults as in docs/design.md.
    public init(
        url: String = defaultURL, ttl: String = defaultTTL, graceCount: Int = defaultGraceCount,
        suspend: Bool = false, keep: Int = defaultKeep, schedule: String? = nil, timeZone: String? = nil, leadTime: String? = nil
    ) {
        self.url = url
        self.ttl = ttl
        self.graceCount = graceCount
        self.suspend = suspend
        self.keep = keep
        self.schedule = schedule
        self.timeZone = timeZone
        self.leadTime = leadTime
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, ttl, graceCount, suspend, keep, schedule, timeZone, leadTime
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? Self.defaultURL
        ttl = try c.decodeIfPresent(String.self, forKey: .ttl) ?? Self.defaultTTL
        graceCount = try c.decodeIfPresent(Int.self, forKey: .graceCount) ?? Self.defaultGraceCount
        suspend = try c.decodeIfPresent(Bool.self, forKey: .suspend) ?? false
        keep = try c.decodeIfPresent(Int.self, forKey: .keep) ?? Self.defaultKeep
        schedule = try c.decodeIfPresent(String.self, forKey: .schedule)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        leadTime = try c.decodeIfPresent(String.self, forKey: .leadTime)
    }

    /// The JSON field names of the spec, for checks against the CRD schema.
    public static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))
}
