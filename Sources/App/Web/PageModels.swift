import Domain
import Foundation
import Persistence
import Views

// What the stores return, turned into what the views take, where more than one page needs it.

extension DueReport {
    /// What the dashboard and the reports-due page show of it, its deadline judged at `now`.
    func dueItem(at now: Date) -> DueItem {
        DueItem(id: id, number: number, title: title, deadline: deadline(at: now))
    }
}
