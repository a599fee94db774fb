import App
import ArgumentParser
import Foundation

/// Parses the subcommand and runs it. Written out because ArgumentParser's async `main()` is not
/// picked on Linux from a library type.
@main
enum Entry {
    static func main() async {
        do {
            var command = try BearingCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = BearingCommand.exitCode(for: error)
            guard code != .success else { BearingCommand.exit(withError: error) }
            FileHandle.standardError.write(Data((message(for: error) + "\n").utf8))
            exit(code.rawValue)
        }
    }

    /// ArgumentParser's message, saying "Error:" once: SQLite's own texts begin with "error:" too.
    static func message(for error: any Error) -> String {
        BearingCommand.fullMessage(for: error).replacing(/^(Error: )(?:[Ee]rror: ?)+/, with: "Error: ")
    }
}
