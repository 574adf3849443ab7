extension ResourceKey {
    /// The key of a resource (namespace `default` when unset).
    public init(_ resource: HourlyImage) {
        self.init(resource.metadata)
    }
}
