import LeafKit
import Views

/// `#t("key")`: the catalogue string for the page's language (the layout context's `lang`).
/// A tag rather than a dictionary in every page's context, so that rendering does not encode the
/// whole catalogue on each request. Its output is HTML-escaped like any other value.
struct TranslateTag: LeafTag {
    let catalog: Catalog

    func render(_ ctx: LeafContext) throws -> LeafData {
        try ctx.requireParameterCount(1)
        guard let key = ctx.parameters[0].string else { throw LeafError(.unknownError("#t() takes a key string")) }
        return .string(catalog.text(key, ctx.data["lang"]?.string ?? "en"))
    }
}
