import Domain
import Foundation
import Persistence
import Vapor
import Views

/// The arrivals a scenario's projection is made from and compared with, for the scenario pages and
/// the dashboard.
enum ScenarioFigures {
    /// People counted arriving (incoming) per calendar month at the points `scope` may see, for
    /// the `months` months before the current one (the current is not complete).
    static func monthlyArrivals(_ req: Request, scope: Scope, months: Int = 12) async throws -> (
        labels: [String], values: [Int]
    ) {
        let start = AnalysisPeriods.start(of: .month, containing: req.now)
        let from = AnalysisPeriods.calendar.date(byAdding: .month, value: -months, to: start)!
        let labels = AnalysisPeriods.labels(.month, from: from, to: start)
        let daily = try await FlowStore(req.db).daily(in: scope, FlowStore.Selection(from: from, to: start))
        var byMonth: [String: Int] = [:]
        for row in daily where row.direction == .incoming {
            byMonth[String(row.day.prefix(7)), default: 0] += row.total
        }
        return (labels, labels.map { byMonth[$0] ?? 0 })
    }

    /// The projection month by month, with the actual arrivals where they are known.
    static func projectionRows(_ projection: ScenarioDraft.Projection, actual: [String: Int]) -> [ProjectionRow] {
        let start = DateText.day(projection.firstMonth + "-01") ?? Date(timeIntervalSince1970: 0)
        return projection.points.map { point in
            let month = AnalysisPeriods.label(
                .month, AnalysisPeriods.calendar.date(byAdding: .month, value: point.step - 1, to: start)!)
            return ProjectionRow(
                month: month, value: Int64(point.value.rounded()), low: Int64(point.low.rounded()),
                high: Int64(point.high.rounded()), actual: actual[month].map { Int64($0) })
        }
    }
}
