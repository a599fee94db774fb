import Domain
import FluentKit
import SQLKit

/// Context events get the country as ISO alpha-3, whatever code their source used (AWSD alpha-2,
/// ACLED numeric, SiND alpha-3), and the operation's admin area their coordinates fall in, so they
/// can be counted by country and filtered by area alongside own incidents.
struct AddContextEventPlaces: AsyncMigration {
    var name: String { "0013_add_context_event_places" }

    func prepare(on database: any Database) async throws {
        try await database.schema("context_events").field("country_iso3", .string).update()
        try await database.schema("context_events").field("area_pcode", .string).update()
        let sql = database as! any SQLDatabase
        // Events imported before this migration: derive the alpha-3 code from the stored one.
        let codes = try await sql.select().distinct().column("country_code").from("context_events").all()
            .compactMap { try $0.decode(column: "country_code", as: String?.self) }
        for code in codes {
            guard let iso3 = Countries.alpha3(from: code) else { continue }
            try await sql.update("context_events").set("country_iso3", to: iso3).where("country_code", .equal, code)
                .run()
        }
        try await sql.create(index: "ix_context_events_operation_area").on("context_events")
            .column("operation_id").column("area_pcode").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("context_events").deleteField("area_pcode").update()
        try await database.schema("context_events").deleteField("country_iso3").update()
    }
}
