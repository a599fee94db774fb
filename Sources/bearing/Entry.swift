import App
import ArgumentParser

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
            BearingCommand.exit(withError: error)
        }
    }
}
