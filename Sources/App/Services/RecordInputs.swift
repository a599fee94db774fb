import Domain
import Persistence

extension SiteRecord {
    /// The stored site as the decoder's input, with the roles named on it (stored apart): what an
    /// edit form starts from, and what an API change overwrites field by field.
    func input(grantRoles: Set<Role> = []) -> SiteInput {
        SiteInput(
            SiteDraft(
                name: name, type: siteType, latitude: latitude, longitude: longitude, contactName: contactName,
                contactPhone: contactPhone, notes: notes, audience: audienceLevel),
            grantRoles: grantRoles)
    }
}
