import FluentKit
import SQLKit

extension Database {
    /// The SQLKit view of a Fluent database. Both drivers we ship (SQLite, PostgreSQL) are SQL.
    var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("Bearing needs an SQL database; \(type(of: self)) is not one")
        }
        return sql
    }
}

extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }
}

extension SQLRow {
    func decodeRow<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(model: type)  // rows name their columns in CodingKeys: no key conversion per field
    }
}
