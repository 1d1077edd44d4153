/// A failure of a command's work (a bad recipe, a missing data set, an unreadable checkpoint), shown as its message alone.
///
/// Why not `ValidationError`: that one also prints the usage text, which only helps
/// when the command line itself is wrong.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
