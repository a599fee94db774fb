import Foundation

/// An incident as entered on the form or through the API (SECURITY.md §3.4.1), validated before
/// anything is stored. A draft is the incident's current facts; its timeline of reports and its
/// follow-up are kept beside it.
public struct IncidentDraft: Sendable, Hashable {
    public struct FollowUpAction: Sendable, Hashable, Codable {
        public var action: String
        public var owner: String
        public var dueOn: Date?
        public var done: Bool
        public init(action: String, owner: String, dueOn: Date? = nil, done: Bool = false) {
            self.action = action
            self.owner = owner
            self.dueOn = dueOn
            self.done = done
        }
    }

    // What
    public var title: String
    public var description: String?
    public var category: IncidentCategory
    public var subtype: IncidentSubtype?
    // When
    public var occurredAt: Date
    public var timePrecision: TimePrecision
    public var knownAt: Date?
    // Where: a site, a point, or an admin area (at least one)
    public var siteID: SiteID?
    public var latitude: Double?
    public var longitude: Double?
    public var areaPcode: String?
    public var placeName: String?
    public var geoPrecision: GeoPrecision
    public var locationType: IncidentLocationType
    // Who and how
    public var affected: Set<AffectedGroup>
    public var casualties: Casualties
    public var actorType: ActorType
    public var actorName: String?
    public var means: IncidentMeans
    public var context: IncidentContext
    public var motive: IncidentMotive
    // How bad
    public var severity: IncidentSeverity
    public var seriousInjury: Bool
    public var particularlySensitive: Bool
    public var nearMiss: Bool
    // Response
    public var immediateActions: String?
    public var followUpActions: [FollowUpAction]
    public var lessonsLearned: String?
    /// Whether procedures were followed: nil while unknown.
    public var proceduresFollowed: Bool?
    // Provenance and confidentiality
    public var verification: VerificationStatus
    public var source: IncidentSource
    /// The reporter asked that only security roles see who reported.
    public var reporterHidden: Bool
    public var audience: AudienceLevel

    public init(
        title: String, description: String? = nil, category: IncidentCategory, subtype: IncidentSubtype? = nil,
        occurredAt: Date, timePrecision: TimePrecision = .minute, knownAt: Date? = nil,
        siteID: SiteID? = nil, latitude: Double? = nil, longitude: Double? = nil, areaPcode: String? = nil,
        placeName: String? = nil,
        geoPrecision: GeoPrecision = .exact, locationType: IncidentLocationType = .unknown,
        affected: Set<AffectedGroup> = [], casualties: Casualties = Casualties(), actorType: ActorType = .unknown,
        actorName: String? = nil, means: IncidentMeans = .unknown, context: IncidentContext = .unknown,
        motive: IncidentMotive = .unknown,
        severity: IncidentSeverity = .moderate, seriousInjury: Bool = false, particularlySensitive: Bool = false,
        nearMiss: Bool = false,
        immediateActions: String? = nil, followUpActions: [FollowUpAction] = [], lessonsLearned: String? = nil,
        proceduresFollowed: Bool? = nil, verification: VerificationStatus = .unverified,
        source: IncidentSource = .staffReport,
        reporterHidden: Bool = false, audience: AudienceLevel = .ifrcOnly
    ) {
        self.title = title; self.description = description; self.category = category; self.subtype = subtype
        self.occurredAt = occurredAt; self.timePrecision = timePrecision; self.knownAt = knownAt
        self.siteID = siteID; self.latitude = latitude; self.longitude = longitude; self.areaPcode = areaPcode
        self.placeName = placeName; self.geoPrecision = geoPrecision; self.locationType = locationType
        self.affected = affected; self.casualties = casualties; self.actorType = actorType; self.actorName = actorName
        self.means = means; self.context = context; self.motive = motive; self.severity = severity
        self.seriousInjury = seriousInjury; self.particularlySensitive = particularlySensitive; self.nearMiss = nearMiss
        self.immediateActions = immediateActions; self.followUpActions = followUpActions;
        self.lessonsLearned = lessonsLearned
        self.proceduresFollowed = proceduresFollowed; self.verification = verification; self.source = source
        self.reporterHidden = reporterHidden; self.audience = audience
    }

    /// Serious in the IFRC sense: death, serious injury, kidnapping, or particularly sensitive. A
    /// serious incident is under the 24-hour written-report clock.
    public var isSerious: Bool {
        casualties.total(.killed) > 0 || casualties.total(.kidnapped) > 0 || seriousInjury || particularlySensitive
    }

    /// Returns the draft trimmed, or every problem found, each naming its field.
    public func validated(now: Date) throws(ValidationErrors) -> IncidentDraft {
        var draft = self
        draft.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.description = description?.trimmedOrNil
        draft.areaPcode = areaPcode?.trimmedOrNil?.uppercased()
        draft.placeName = placeName?.trimmedOrNil
        draft.actorName = actorName?.trimmedOrNil
        draft.immediateActions = immediateActions?.trimmedOrNil
        draft.lessonsLearned = lessonsLearned?.trimmedOrNil
        draft.followUpActions = followUpActions.map {
            FollowUpAction(
                action: $0.action.trimmingCharacters(in: .whitespacesAndNewlines),
                owner: $0.owner.trimmingCharacters(in: .whitespacesAndNewlines), dueOn: $0.dueOn, done: $0.done)
        }.filter { !$0.action.isEmpty || !$0.owner.isEmpty }

        var errors = ValidationErrors()
        // A cell counts people in one incident: a number past this is a typing slip, and summed it
        // would not fit the analysis' counters.
        for (cell, count) in draft.casualties.counts.sorted(by: { $0.key.key < $1.key.key })
        where !(0...100_000).contains(count) {
            errors.add(
                cell.key, key: "error.casualty_count",
                "\(count) is not a number of people in one incident (0 to 100,000).")
        }
        if draft.title.isEmpty || draft.title.count > 200 {
            errors.add("title", key: "error.required", "A short title of 1–200 characters is required.")
        }
        for (field, text, limit) in [
            ("description", draft.description, 10_000), ("immediate_actions", draft.immediateActions, 5_000),
            ("lessons_learned", draft.lessonsLearned, 5_000), ("place_name", draft.placeName, 200),
            ("actor_name", draft.actorName, 200),
        ] where (text?.count ?? 0) > limit {
            errors.add(field, key: "error.too_long", "At most \(limit) characters.")
        }
        if let subtype, subtype.category != category {
            errors.add(
                "subtype", key: "error.subtype", "“\(subtype.rawValue)” is not a kind of “\(category.rawValue)”.")
        }
        // A few minutes of clock skew between a phone and the server are not an error.
        if occurredAt > now.addingTimeInterval(600) {
            errors.add("occurred_at", key: "error.future", "When it happened cannot be in the future.")
        }
        if let knownAt {
            if knownAt < occurredAt {
                errors.add("known_at", key: "error.known_before", "It cannot have become known before it happened.")
            }
            if knownAt > now.addingTimeInterval(600) {
                errors.add("known_at", key: "error.future", "When it became known cannot be in the future.")
            }
        }
        switch (latitude, longitude) {
        case let (lat?, lon?):
            if !lat.isFinite || !(-90...90).contains(lat) {
                errors.add(
                    "latitude", key: "error.latitude", "Latitude must be between -90 and 90 (decimal degrees, WGS 84).")
            }
            if !lon.isFinite || !(-180...180).contains(lon) {
                errors.add(
                    "longitude", key: "error.longitude",
                    "Longitude must be between -180 and 180 (decimal degrees, WGS 84).")
            }
        case (nil, nil):
            if siteID == nil && draft.areaPcode == nil {
                errors.add(
                    "location", key: "error.location_required",
                    "Say where: choose a site, give coordinates, or name an admin area.")
            }
        case (nil, _):
            errors.add("latitude", key: "error.latitude", "Give both latitude and longitude, or neither.")
        case (_, nil):
            errors.add("longitude", key: "error.longitude", "Give both latitude and longitude, or neither.")
        }
        if let pcode = draft.areaPcode,
            pcode.range(of: #"^[A-Z]{2,3}[0-9A-Z]{0,12}$"#, options: .regularExpression) == nil
        {
            errors.add("area_pcode", key: "error.pcode", "A P-code looks like SD01 or SD01001.")
        }
        for cell in casualties.problems() {
            errors.add(cell, key: "error.count", "Counts are whole numbers from 0 to 100,000.")
        }
        for (index, action) in draft.followUpActions.enumerated() {
            if action.action.isEmpty || action.action.count > 1_000 {
                errors.add(
                    "follow_up[\(index)].action", key: "error.required", "Say what is to be done (1–1,000 characters).")
            }
            if action.owner.isEmpty || action.owner.count > 200 {
                errors.add(
                    "follow_up[\(index)].owner", key: "error.owner_required", "Every follow-up action needs an owner.")
            }
        }
        if nearMiss && !casualties.isEmpty {
            errors.add(
                "near_miss", key: "error.near_miss_casualties",
                "A near-miss has no casualties; untick near-miss or clear the counts.")
        }
        try errors.throwIfAny()
        return draft
    }
}

extension String {
    /// Trimmed, or nil when nothing is left.
    var trimmedOrNil: String? { trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
}
