import Domain

extension Strings {
    /// An incident's origin as people say it: "our own", a published dataset's name (AWSD, SiND,
    /// ACLED), or an imported file's own name.
    public func sourceName(_ origin: String) -> String {
        if origin == ContextEvent.Source.ownName { return self("analysis.source_own") }
        let source = ContextEvent.Source(rawValue: origin)
        return source.isPublished ? self(source.labelKey) : origin
    }
}
