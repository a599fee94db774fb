import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The flow analysis: people per day or week by direction with a 7-day moving average and the
/// change against the period before, totals per point, origin → destination, sex × age and the
/// share of people in vulnerable situations. Every figure says where it comes from and when.
struct FlowAnalysisController {
    func page(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        var problem: String?
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query, now: req.now) } catch {
            // they quote the value given, so they stay in English
            problem = error.errors.map(\.message).joined(separator: " ")
            query = try FlowQuery.parse(nil, now: req.now)
        }
        // The points once, for the analysis and the page's choice of point alike.
        let points = try await FlowStore(req.db).points(in: scope)
        let report = try await FlowAnalysisService(database: req.db)
            .analyse(query, operation: context.operation, scope: scope, points: points, on: req)
        let directions = FlowDirection.allCases
        func count(_ period: FlowAnalysisService.Report.Period, _ direction: FlowDirection) -> Int {
            switch direction {
            case .incoming: period.incoming;
            case .outgoing: period.outgoing;
            case .transit: period.transit
            }
        }
        let colours: [FlowDirection: String] = [.incoming: "#1f78b4", .outgoing: "#e31a1c", .transit: "#6a3d9a"]
        var chart = SVGBarChart(
            labels: report.series.map(\.period),
            series: directions.map { direction in
                SVGBarChart.Series(
                    name: req.t(direction.labelKey), values: report.series.map { count($0, direction) },
                    colour: colours[direction]!)
            }, title: req.t("flow_analysis.chart"))
        chart.width = 720
        chart.number = DecimalText.grouped
        // Origin → destination: the ten largest origins and destinations.
        let pairs = report.originDestination
        func largest(_ key: KeyPath<FlowAnalysisService.Report.Pair, String>) -> [String] {
            Dictionary(grouping: pairs, by: { $0[keyPath: key] }).mapValues {
                $0.map(\.people).saturatingSum()
            }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
        }
        let origins = largest(\.origin), destinations = largest(\.destination)
        // A country code is named in the reader's language with the code after it; other places as written.
        func place(_ text: String) -> String {
            Countries.name(text, in: req.language).map { "\($0) (\(text))" } ?? text
        }
        // Sex × age, and people in vulnerable situations.
        let profile = report.profile
        let pyramid = SVGPyramid(
            rows: DisaggregationScheme.unhcrAgeBrackets.map { age in
                SVGPyramid.Row(
                    label: req.t("flows.age_\(age)"), men: profile.sexAge["m_\(age)"] ?? 0,
                    women: profile.sexAge["f_\(age)"] ?? 0)
            }, title: req.t("flow_analysis.pyramid"), menLabel: req.t("flows.men"), womenLabel: req.t("flows.women"))
        var model = FlowAnalysisPage.Model(
            code: context.operation.code, from: report.query.from, to: report.query.to, weekly: query.weekly,
            points: [Choice(value: "", label: req.t("all"), selected: report.query.point == nil)]
                + points.map {
                    Choice(
                        value: $0.site.id.uuidString, label: $0.site.name, selected: $0.site.id == report.query.point)
                },
            source: req.t("flow_analysis.source")
                .replacingOccurrences(of: "{count}", with: String(report.source.points))
                .replacingOccurrences(of: "{from}", with: report.source.from).replacingOccurrences(
                    of: "{to}", with: report.source.to),
            error: problem,
            directions: report.directions.map {
                .init(
                    direction: $0.direction, people: $0.people, previous: $0.previous,
                    change: DecimalText.signedPercent($0.changePercent))
            },
            chart: chart.render(),
            periods: report.series.reversed().map { period in
                .init(
                    label: period.period, incoming: period.incoming, outgoing: period.outgoing, transit: period.transit,
                    total: period.total,
                    trend: query.weekly
                        ? DecimalText.signedPercent(period.changePercent)
                        : period.movingAverage.map { DecimalText.fixed($0, digits: 1) } ?? "—")
            },
            perPoint: report.points.map {
                (name: $0.name, incoming: $0.incoming, outgoing: $0.outgoing, transit: $0.transit)
            },
            matrix: pairs.isEmpty
                ? nil
                : (
                    origins: origins.map(place), destinations: destinations.map(place),
                    people: origins.map { origin in
                        destinations.map { destination in
                            pairs.first { $0.origin == origin && $0.destination == destination }?.people ?? 0
                        }
                    }
                ),
            flowMap: try await FlowMapService(request: req).svg(report.flowMap, operation: context.operation),
            mapQuery: query.queryItems,
            unplaced: report.flowMap.unplaced.prefix(12).map { (place: $0.place, people: $0.people) },
            pyramid: profile.disaggregatedPeople > 0
                ? (
                    pyramid.render(),
                    ChartData(
                        rowHeading: req.t("flows.age"), columns: [req.t("flows.men"), req.t("flows.women")],
                        rows: pyramid.rows.map { ($0.label, [$0.men, $0.women]) })
                ) : nil,
            vulnerable: profile.vulnerable.map {
                (
                    situation: $0.situation, people: $0.people,
                    share: $0.sharePercent.map { DecimalText.fixed($0, digits: 1) + " %" } ?? "—"
                )
            })
        model.partial = AccessPolicy.seesPartialPicture(in: context.operation.id, by: context.viewer)
        return Page.render(
            req, title: req.t("flow_analysis.title"), status: problem == nil ? .ok : .unprocessableEntity
        ) {
            FlowAnalysisPage.view(model, $0)
        }
    }

    /// `GET …/flows/map.svg`: the flow map alone, to download or put in a report.
    func map(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query, now: req.now) } catch {
            throw Abort(.badRequest, reason: error.description)
        }
        // Only the map's own query, not the whole analysis.
        let points = try await FlowStore(req.db).points(in: scope)
        var selection = query.selection
        selection.point = query.point.flatMap { id in points.contains { $0.site.id == id } ? id : nil }
        let service = FlowMapService(request: req)
        let places = try await service.places(context.operation, scope: scope, selection: selection, points: points)
        let svg = try await service.svg(FlowAnalysisService.flowMap(places), operation: context.operation)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(
            name: .contentDisposition, value: "inline; filename=\"flow-map-\(context.operation.code).svg\"")
        return Response(status: .ok, headers: headers, body: .init(string: svg.markup))
    }
}
