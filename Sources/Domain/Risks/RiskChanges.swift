import Foundation

/// One risk as the register stood at a moment: what the "what changed since …" report compares.
/// Generic over the id, so that the security and the protection registers share it.
public struct RiskState<ID: Hashable & Sendable>: Sendable, Hashable {
    /// A measure not done yet, and when it falls due.
    public struct OpenMeasure: Sendable, Hashable {
        public var description: String
        public var owner: String
        public var dueOn: Date?
        public init(_ description: String, owner: String, dueOn: Date?) {
            self.description = description; self.owner = owner; self.dueOn = dueOn
        }
    }
    public var id: ID
    public var title: String
    /// The level index the risk is judged by: residual when assessed, else inherent.
    public var level: Int
    public var closed: Bool
    public var openMeasures: [OpenMeasure]

    public init(id: ID, title: String, level: Int, closed: Bool = false, openMeasures: [OpenMeasure] = []) {
        self.id = id; self.title = title; self.level = level; self.closed = closed; self.openMeasures = openMeasures
    }
}

/// What changed in a register between two moments, for the HeOps: risks new, raised, lowered and
/// closed, and measures overdue now. Each list is sorted by level, highest first, then title.
public struct RiskChanges<ID: Hashable & Sendable>: Sendable, Hashable {
    public struct Move: Sendable, Hashable {
        public let risk: RiskState<ID>
        public let from: Int
    }
    public struct Overdue: Sendable, Hashable {
        public let risk: String
        public let measure: String
        public let owner: String
        public let dueOn: Date
    }
    public var new: [RiskState<ID>] = []
    public var raised: [Move] = []
    public var lowered: [Move] = []
    public var closed: [RiskState<ID>] = []
    public var overdue: [Overdue] = []

    public var isEmpty: Bool { new.isEmpty && raised.isEmpty && lowered.isEmpty && closed.isEmpty && overdue.isEmpty }

    /// The changes from `before` (the register at the chosen date) to `after` (now).
    public static func between(_ before: [RiskState<ID>], _ after: [RiskState<ID>], now: Date) -> RiskChanges {
        let earlier = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var changes = RiskChanges()
        for risk in after {
            guard let was = earlier[risk.id] else {
                // Opened and closed within the period: the HeOps should still hear it was closed.
                if risk.closed { changes.closed.append(risk) } else { changes.new.append(risk) }
                continue
            }
            if risk.closed {
                if !was.closed { changes.closed.append(risk) }
                continue
            }
            if risk.level > was.level { changes.raised.append(Move(risk: risk, from: was.level)) }
            if risk.level < was.level { changes.lowered.append(Move(risk: risk, from: was.level)) }
        }
        for risk in after where !risk.closed {
            for measure in risk.openMeasures {
                if let due = measure.dueOn, due < now {
                    changes.overdue.append(
                        Overdue(risk: risk.title, measure: measure.description, owner: measure.owner, dueOn: due))
                }
            }
        }
        func order(_ a: RiskState<ID>, _ b: RiskState<ID>) -> Bool { (-a.level, a.title) < (-b.level, b.title) }
        changes.new.sort(by: order)
        changes.closed.sort(by: order)
        changes.raised.sort { order($0.risk, $1.risk) }
        changes.lowered.sort { order($0.risk, $1.risk) }
        changes.overdue.sort { ($0.dueOn, $0.risk) < ($1.dueOn, $1.risk) }
        return changes
    }
}
