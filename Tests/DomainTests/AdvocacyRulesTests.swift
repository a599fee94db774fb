import Domain
import Foundation
import Testing

@Suite("Advocacy product rules")
struct AdvocacyRulesTests {
    @Test("placeholders are found in order, with their parameters; one that does not read says why")
    func placeholders() throws {
        let scanned = FigurePlaceholder.scan(
            "We counted {{ flows.counted days=7 direction=outgoing }} people; {{reach.people sector=health}} reached; "
                + "{{people.happy}} and {{incidents.count colour=red}} and {{reach.target")
        #expect(scanned.count == 5)
        let flows = try scanned[0].get()
        #expect(flows.name == .flowArrivals && flows.parameters == ["days": "7", "direction": "outgoing"])
        #expect(flows.token == "flows.counted days=7 direction=outgoing")
        #expect(try scanned[1].get().parameters == ["sector": "health"])
        #expect(throws: PlaceholderProblem.self) { try scanned[2].get() }
        if case .failure(let problem) = scanned[3] {
            #expect(problem.reason.contains("“colour=red” is not a parameter"))
        }
        if case .failure(let problem) = scanned[4] { #expect(problem.reason.contains("not closed")) }
        var draft = ProductDraft(
            kind: .keyMessages, title: "T", language: .en, body: "{{reach.people}} and {{reach.people}}")
        #expect(draft.placeholders.count == 1, "a figure named twice is one figure")
        draft.body = "none here"
        #expect(draft.placeholders.isEmpty)
    }

    @Test("the text with its figures in it: digits grouped, placeholders that did not resolve left as written")
    func substitute() {
        let text = ProductWorkflow.substitute(
            "Reached {{reach.people}} of {{ reach.target }}; {{displacement.stock}} displaced.",
            values: ["reach.people": 39_915, "reach.target": 1_052_100])
        #expect(text == "Reached 39,915 of 1,052,100; {{displacement.stock}} displaced.")
        #expect(ProductWorkflow.grouped(0) == "0" && ProductWorkflow.grouped(999) == "999")
        #expect(ProductWorkflow.grouped(-12_000) == "-12,000")
    }

    @Test("approval: in review, not by its author, every area cleared, every figure resolved")
    func approval() {
        let author = UserID(UUID()), heops = UserID(UUID())
        let all = Set(ReviewArea.allCases)
        func check(
            _ state: ProductState, _ approver: UserID, _ cleared: Set<ReviewArea>, _ unresolved: [PlaceholderProblem]
        )
            -> ProductWorkflow.Refusal?
        {
            do {
                try ProductWorkflow.checkApproval(
                    state: state, author: author, approver: approver, cleared: cleared, unresolved: unresolved)
                return nil
            } catch { return error }
        }
        #expect(check(.inReview, heops, all, []) == nil)
        #expect(check(.draft, heops, all, []) == .notInReview)
        #expect(check(.approved, heops, all, []) == .approvedIsFrozen)
        #expect(check(.inReview, author, all, []) == .authorApproves)
        #expect(check(.inReview, heops, [.technical], []) == .notCleared([.protection, .communications]))
        let problem = PlaceholderProblem(token: "displacement.stock", reason: "no figures")
        #expect(check(.inReview, heops, all, [problem]) == .figuresUnresolved([problem]))
        #expect(ProductWorkflow.Refusal.figuresUnresolved([problem]).message.contains("{{displacement.stock}}"))
    }

    @Test("community feedback cited by the CEA framework's types and categories; sensitive categories named")
    func evidence() throws {
        let citation = try FeedbackCitation.parse("concern_or_incident, barriers_to_access, 37, SRCS desk, 2026-11")
            .get()
        #expect(citation.count == 37 && citation.period == "2026-11" && citation.type == .concern)
        #expect(try FeedbackCitation.parse(citation.line).get() == citation)
        #expect((try? FeedbackCitation.parse("praise, barriers_to_access, 3, desk").get()) == nil)
        #expect((try? FeedbackCitation.parse("question, the_crisis, many, desk").get()) == nil)
        #expect((try? FeedbackCitation.parse("question, the_crisis").get()) == nil)
        #expect(FeedbackType.isSensitive("allegation_of_sea") && !FeedbackType.isSensitive("barriers_to_access"))
        for type in FeedbackType.allCases { #expect(type.categories.contains("other")) }
    }

    @Test("a product's input: every problem named by field; placeholders that do not read are no error yet")
    func input() throws {
        var input = ProductInput()
        input.kind = "humanitarian_update"
        input.title = "Eastern border"
        input.language = "ar"
        input.body = "{{not.a.figure}} \r\n"
        input.evidence = ["question, the_crisis, 4, hotline"]
        let draft = try input.decoded()
        #expect(draft.language == .ar && draft.language.rightToLeft && draft.body == "{{not.a.figure}}")
        #expect(try ProductInput(draft).decoded() == draft)
        var bad = ProductInput()
        bad.kind = "press_release"
        bad.language = "de"
        bad.evidence = ["gossip, rumours, 3, market"]
        bad.audience = "world"
        do {
            _ = try bad.decoded()
            Issue.record("refused")
        } catch {
            #expect(
                Set(error.errors.compactMap(\.field)) == ["kind", "title", "language", "body", "evidence", "audience"])
        }
    }
}
