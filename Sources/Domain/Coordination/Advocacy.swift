import Foundation

/// The advocacy products of the Migration & Displacement Coordinator's agenda (and the security
/// briefings of field visits): key messages, humanitarian updates, issue briefs, briefing packs
/// for visiting partners, and resourcing proposals.
public enum ProductKind: String, CaseIterable, Sendable, Codable, Hashable {
    case keyMessages = "key_messages"
    case humanitarianUpdate = "humanitarian_update"
    case issueBrief = "issue_brief"
    case briefingPack = "briefing_pack"
    case resourcingProposal = "resourcing_proposal"

    public var labelKey: String { "product_kind.\(rawValue)" }
}

/// The languages a product is written in: Bearing's four.
public enum ProductLanguage: String, CaseIterable, Sendable, Codable, Hashable {
    case en, fr, es, ar

    public var labelKey: String { "product_language.\(rawValue)" }
    public var rightToLeft: Bool { self == .ar }
}

/// Draft → in review → approved. An approved product never changes; a new one is written instead.
public enum ProductState: String, CaseIterable, Sendable, Codable, Hashable {
    case draft
    case inReview = "in_review"
    case approved

    public var labelKey: String { "product_state.\(rawValue)" }
}

/// The three reviews a product passes before the HeOps approves it.
public enum ReviewArea: String, CaseIterable, Sendable, Codable, Hashable {
    case technical, protection, communications

    public var labelKey: String { "review_area.\(rawValue)" }
}

public enum ReviewVerdict: String, CaseIterable, Sendable, Codable, Hashable {
    /// Asks for a change; the area stays open.
    case comment
    /// Nothing more to change for this area, on this version.
    case cleared

    public var labelKey: String { "review_verdict.\(rawValue)" }
}

/// How a product went out.
public enum DistributionChannel: String, CaseIterable, Sendable, Codable, Hashable {
    /// Sent by Bearing, one message to each recipient's address.
    case email
    /// Shared by hand to the recipients' WhatsApp numbers; Bearing records who.
    case whatsapp
    case print
    /// Handed out at a meeting.
    case meeting
    /// Shared in Bearing with members of the operation (partners see only what is shared with them).
    case bearing

    public var labelKey: String { "channel.\(rawValue)" }
    /// Does Bearing send it itself?
    public var isSent: Bool { self == .email }
}

/// Community feedback as the IFRC's CEA coding framework codes it (MIGRATION.md §3.10): a type and
/// one of its categories.
public enum FeedbackType: String, CaseIterable, Sendable, Codable, Hashable {
    case question
    case request = "request_or_suggestion"
    case concern = "concern_or_incident"
    case praise = "encouragement_or_praise"
    case observation = "observation_or_perception"
    case incomplete = "incomplete_feedback"

    public var labelKey: String { "feedback_type.\(rawValue)" }

    /// The categories of the type, as the framework's codebook names them.
    public var categories: [String] {
        switch self {
        case .question: ["response_activities", "the_crisis", "response_actors", "preventative_behaviours", "other"]
        case .request: ["request_for_support", "request_for_information", "suggestion_on_response", "other"]
        case .concern:
            [
                "barriers_to_access", "quality_quantity_timeliness", "report_of_incident", "allegation_of_misconduct",
                "allegation_of_sea", "other",
            ]
        case .praise: ["appreciation_of_activities", "appreciation_of_actors", "encouragement_to_continue", "other"]
        case .observation:
            [
                "belief_about_crisis", "about_response_activities", "about_people_or_organisations",
                "about_community_behaviour", "about_preventative_behaviours", "impact_of_disaster",
                "safety_and_security", "diversity_of_community", "information_and_communication", "other",
            ]
        case .incomplete:
            ["interrupted", "communication_barrier", "abusive_interaction", "withdrawal_from_interaction", "other"]
        }
    }

    /// Feedback the Feedback Kit routes to a restricted channel: allegations and safety reports are
    /// never cited in a product by their words, only counted.
    public static func isSensitive(_ category: String) -> Bool {
        ["allegation_of_misconduct", "allegation_of_sea", "report_of_incident"].contains(category)
    }
}

/// Community feedback a product cites as its evidence: "type, category, count, source, period".
public struct FeedbackCitation: Sendable, Codable, Hashable {
    public var type: FeedbackType
    public var category: String
    public var count: Int
    /// Where the feedback was collected ("SRCS feedback desk, Gallabat HSP").
    public var source: String
    /// When ("2026-11").
    public var period: String?

    public init(type: FeedbackType, category: String, count: Int, source: String, period: String? = nil) {
        self.type = type
        self.category = category
        self.count = count
        self.source = source
        self.period = period
    }

    public var line: String {
        [type.rawValue, category, String(count), source, period].compactMap { $0 }.joined(separator: ", ")
    }

    /// Reads one line; the reason when it is not a citation.
    public static func parse(_ line: String) -> Result<FeedbackCitation, ServiceLineProblem> {
        let parts = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count >= 4 else {
            return .failure(.init(line: line, reason: "write type, category, count, source (and a period)"))
        }
        guard let type = FeedbackType(rawValue: parts[0]) else {
            return .failure(
                .init(
                    line: line,
                    reason: "the type is one of " + FeedbackType.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard type.categories.contains(parts[1]) else {
            return .failure(
                .init(
                    line: line,
                    reason: "for \(type.rawValue), the category is one of " + type.categories.joined(separator: ", ")))
        }
        guard let count = WholeNumber.parse(Substring(parts[2])), count <= 10_000_000 else {
            return .failure(.init(line: line, reason: "the count is a whole number of comments"))
        }
        guard !parts[3].isEmpty, parts[3].count <= 300 else {
            return .failure(.init(line: line, reason: "the source is 1–300 characters"))
        }
        let period = parts.count > 4 ? parts[4].nilIfEmpty : nil
        return .success(
            FeedbackCitation(type: type, category: parts[1], count: count, source: parts[3], period: period))
    }
}

/// A figure from Bearing embedded in a product's text as `{{name key=value …}}`: shown with its
/// current value while the product is a draft, frozen with its source and date at approval.
public struct FigurePlaceholder: Sendable, Codable, Hashable {
    /// What a product may embed, and the parameters each takes.
    public enum Name: String, CaseIterable, Sendable, Codable, Hashable {
        /// People displaced, at the latest figures: `type=IDP|REF|…`, `area=` (a P-code).
        case displacementStock = "displacement.stock"
        /// People counted at the flow-monitoring points: `days=` (7), `direction=in|out|transit`.
        case flowArrivals = "flows.counted"
        /// Incidents reported: `days=` (30), `area=`.
        case incidents = "incidents.count"
        /// Open protection risks: `min_level=` (a level's number, 1 is the lowest).
        case protectionRisks = "protection_risks.open"
        /// People reached by the EPoA's activities for people on the move: `sector=`.
        case reach = "reach.people"
        /// The people those activities target: `sector=`.
        case target = "reach.target"

        public var parameters: Set<String> {
            switch self {
            case .displacementStock: ["type", "area"]
            case .flowArrivals: ["days", "direction"]
            case .incidents: ["days", "area"]
            case .protectionRisks: ["min_level"]
            case .reach, .target: ["sector"]
            }
        }
    }

    /// The text as written between the braces, trimmed: how the product's body names it.
    public let token: String
    public let name: Name
    public let parameters: [String: String]

    /// Every placeholder of `text`, in order, with the problems of those that do not read.
    public static func scan(_ text: String) -> [Result<FigurePlaceholder, PlaceholderProblem>] {
        var results: [Result<FigurePlaceholder, PlaceholderProblem>] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                results.append(
                    .failure(
                        .init(
                            token: String(rest[open.lowerBound...].prefix(40)),
                            reason: "the placeholder is not closed with }}")))
                break
            }
            let token = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            results.append(parse(token))
            rest = rest[close.upperBound...]
        }
        return results
    }

    public static func parse(_ token: String) -> Result<FigurePlaceholder, PlaceholderProblem> {
        let words = token.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first, let name = Name(rawValue: first) else {
            return .failure(
                .init(
                    token: token,
                    reason: "not a figure Bearing knows; one of "
                        + Name.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var parameters: [String: String] = [:]
        for word in words.dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[1].isEmpty, name.parameters.contains(pair[0]) else {
                return .failure(
                    .init(
                        token: token,
                        reason: "“\(word)” is not a parameter of \(name.rawValue)"
                            + (name.parameters.isEmpty
                                ? "" : " (" + name.parameters.sorted().joined(separator: ", ") + ")")))
            }
            parameters[pair[0]] = pair[1]
        }
        return .success(FigurePlaceholder(token: token, name: name, parameters: parameters))
    }

    public init(token: String, name: Name, parameters: [String: String]) {
        self.token = token
        self.name = name
        self.parameters = parameters
    }
}

public struct PlaceholderProblem: Error, Sendable, Hashable, Codable {
    public let token: String
    public let reason: String
    public init(token: String, reason: String) {
        self.token = token
        self.reason = reason
    }
}

/// A figure's value as Bearing holds it now, or as it was at approval.
public struct FigureValue: Sendable, Codable, Hashable {
    public let token: String
    public let value: Int
    /// "UNHCR / IOM DTM displacement figures", "flow monitoring (3 points)", …
    public let source: String
    /// The day the figure stands for.
    public let asOf: Date

    public init(token: String, value: Int, source: String, asOf: Date) {
        self.token = token
        self.value = value
        self.source = source
        self.asOf = asOf
    }
}

/// A product's text as written, checked before it is stored as a version.
public struct ProductDraft: Sendable, Hashable, Codable {
    public var kind: ProductKind
    public var title: String
    public var language: ProductLanguage
    /// Plain text with headings and lists (`#`, `-`, `1.`) and figure placeholders.
    public var body: String
    /// Who it is for ("donors in Khartoum", "PNS country representatives").
    public var intendedFor: String?
    public var evidence: [FeedbackCitation]
    public var audience: AudienceLevel

    public init(
        kind: ProductKind, title: String, language: ProductLanguage, body: String, intendedFor: String? = nil,
        evidence: [FeedbackCitation] = [], audience: AudienceLevel = .ifrcOnly
    ) {
        self.kind = kind
        self.title = title
        self.language = language
        self.body = body
        self.intendedFor = intendedFor
        self.evidence = evidence
        self.audience = audience
    }

    /// The figures the text embeds (those that read), each once.
    public var placeholders: [FigurePlaceholder] {
        var seen = Set<String>()
        return FigurePlaceholder.scan(body).compactMap { try? $0.get() }.filter { seen.insert($0.token).inserted }
    }
}

/// A product as given: the form and the API. `decoded()` is the one decoder.
public struct ProductInput: Codable, Sendable, Equatable {
    public var kind = ""
    public var title = ""
    public var language = ProductLanguage.en.rawValue
    public var body = ""
    public var intendedFor = ""
    /// One citation a line: "type, category, count, source, period".
    public var evidence: [String] = []
    public var audience = AudienceLevel.ifrcOnly.rawValue

    public init() {}

    public init(_ d: ProductDraft) {
        kind = d.kind.rawValue
        title = d.title
        language = d.language.rawValue
        body = d.body
        intendedFor = d.intendedFor ?? ""
        evidence = d.evidence.map(\.line)
        audience = d.audience.rawValue
    }

    /// The checked draft. A placeholder that does not read is not an error here: a draft may hold
    /// one while it is written; it shows, and approval waits until it is fixed.
    public func decoded() throws(ValidationErrors) -> ProductDraft {
        var read = FieldReader()
        let kind = read.choice(self.kind, "kind", ProductKind.self)
        if read.trimmed(self.kind) == nil {
            read.errors.add("kind", key: "error.required", "The kind of product is required.")
        }
        let title = read.limited(self.title, "title", 200)
        if title == nil { read.errors.add("title", key: "error.required", "A title of 1–200 characters is required.") }
        let language = read.choice(self.language, "language", ProductLanguage.self)
        let body = self.body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(
            in: .whitespacesAndNewlines)
        if body.isEmpty { read.errors.add("body", key: "error.required", "The text is required.") }
        if body.count > 100_000 { read.errors.add("body", key: "error.too_long", "At most 100,000 characters.") }
        let intendedFor = read.limited(self.intendedFor, "intended_for", 300)
        var evidence: [FeedbackCitation] = []
        for line in self.evidence.flatMap({ $0.split(whereSeparator: \.isNewline) }).map(String.init)
        where read.trimmed(line) != nil {
            switch FeedbackCitation.parse(line) {
            case .success(let citation): evidence.append(citation)
            case .failure(let problem):
                read.errors.add("evidence", key: "error.evidence_line", "“\(problem.line)”: \(problem.reason).")
            }
        }
        let audience = read.choice(self.audience, "audience", AudienceLevel.self)
        try read.errors.throwIfAny()
        return ProductDraft(
            kind: kind ?? .keyMessages, title: title ?? "", language: language ?? .en, body: body,
            intendedFor: intendedFor, evidence: evidence, audience: audience ?? .ifrcOnly)
    }
}

/// What the workflow allows, and why not when it does not.
public enum ProductWorkflow {
    public enum Refusal: Error, Sendable, Hashable {
        case approvedIsFrozen
        case notInReview
        case authorApproves
        case notCleared([ReviewArea])
        case figuresUnresolved([PlaceholderProblem])
        case notApproved
        case reviewerIsAuthor

        public var message: String {
            switch self {
            case .approvedIsFrozen: "An approved product does not change; write a new one."
            case .notInReview: "Only a product in review is reviewed or approved."
            case .authorApproves: "The author does not approve their own product."
            case .notCleared(let areas):
                "Not cleared yet: " + areas.map(\.rawValue).joined(separator: ", ") + "."
            case .figuresUnresolved(let problems):
                "Figures that do not resolve: "
                    + problems.map { "{{\($0.token)}} (\($0.reason))" }.joined(separator: "; ") + "."
            case .notApproved: "Only an approved product is distributed."
            case .reviewerIsAuthor: "The author does not review their own product."
            }
        }

        /// The catalogue key of its sentence; `.notCleared` names its areas after it, each by its own key.
        public var messageKey: String {
            switch self {
            case .approvedIsFrozen: "products.frozen"
            case .notInReview: "products.not_in_review"
            case .authorApproves: "products.author_approves"
            case .notCleared: "products.not_cleared_yet"
            case .figuresUnresolved: "products.unresolved"
            case .notApproved: "products.not_approved"
            case .reviewerIsAuthor: "products.reviewer_is_author"
            }
        }
    }

    /// May the product be approved now, by someone who is not `author`?
    public static func checkApproval(
        state: ProductState, author: UserID?, approver: UserID, cleared: Set<ReviewArea>,
        unresolved: [PlaceholderProblem]
    ) throws(Refusal) {
        guard state != .approved else { throw .approvedIsFrozen }
        guard state == .inReview else { throw .notInReview }
        guard author != approver else { throw .authorApproves }
        let missing = ReviewArea.allCases.filter { !cleared.contains($0) }
        guard missing.isEmpty else { throw .notCleared(missing) }
        guard unresolved.isEmpty else { throw .figuresUnresolved(unresolved) }
    }

    /// The text with every placeholder replaced by its value ("12,450"), as approval freezes it.
    public static func substitute(_ body: String, values: [String: Int]) -> String {
        var out = ""
        var rest = body[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let token = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[token].map(grouped) ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// 12450 as "12,450": digits grouped by three, the same in every language (Bearing writes
    /// Western digits throughout, as the IFRC's Arabic reports do).
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }
}
