// The few functions of SQLiteNIO's embedded SQLite that a bulk insert (or a long export) needs to
// prepare one statement and step it once a row: SQLiteNIO prepares every query anew and offers no reuse
// (Persistence/Stores/BulkRows.swift says why that matters). They are declared here by the names
// SQLiteNIO's copy exports (its `sqlite_nio_` prefix), so they resolve to the very library, and
// connection, that Fluent uses; no second SQLite is linked.
#ifndef CSQLITEBULK_H
#define CSQLITEBULK_H
#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

int sqlite_nio_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int bytes, unsigned int flags,
                                  sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, int64_t value);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);
int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes,
                                 void (*destructor)(void *));
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
int64_t sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);

/// SQLite's result codes this code looks at.
enum { BULK_SQLITE_OK = 0, BULK_SQLITE_ROW = 100, BULK_SQLITE_DONE = 101, BULK_SQLITE_NULL = 5 };
/// SQLITE_PREPARE_PERSISTENT: the statement lives for many steps.
enum { BULK_SQLITE_PREPARE_PERSISTENT = 1 };

/// Binds text that SQLite copies (SQLITE_TRANSIENT), so the caller's buffer may go at once.
static inline int bulk_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite_nio_sqlite3_bind_text(statement, index, text, bytes, (void (*)(void *))-1);
}

#endif
