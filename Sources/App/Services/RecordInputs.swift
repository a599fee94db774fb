import Domain
import Persistence

extension SiteRecord {
    /// The stored site as the decoder's input (without the roles named on it, which are stored
    /// apart): what an edit form starts from, and what an API change overwrites field by field.
    var input: SiteInput {
        var input = SiteInput()
        input.name = name
        input.type = type
        input.latitude = String(latitude)
        input.longitude = String(longitude)
        input.contactName = contactName ?? ""
        input.contactPhone = contactPhone ?? ""
        input.notes = notes ?? ""
        input.audience = audience
        return input
    }
}
