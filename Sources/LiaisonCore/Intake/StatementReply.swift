import Foundation
public import MIME

/// A mail about a statement Liaison already recorded: it names the reference in its subject and
/// may carry a command line such as `Action: taken` or `Action: extend 2027-02-01`.
public struct StatementReply: Sendable, Equatable {
    /// What the reply asks for.
    public enum Command: Sendable, Equatable {
        /// The action was taken: the statement is closed.
        case taken
        /// The deadline moves to this date.
        case extend(CalendarDate)
    }

    /// The statement it is about.
    public var reference: StatementReference
    /// The command it carries, if any.
    public var command: Command?
    /// The address it came from.
    public var sender: String?

    /// Finds the reference (with the configured prefix) in the subject and the first command line
    /// of the text; `nil` when the subject names no statement.
    public static func parse(_ message: MIMEMessage, prefix: String, dates: DateText = DateText()) -> StatementReply? {
        guard let subject = message.subject, let reference = reference(in: subject, prefix: prefix) else { return nil }
        var command: Command?
        for line in (message.textBody() ?? "").split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: " \t\r")
            // Quoted text of an earlier mail never counts as a command.
            guard !trimmed.hasPrefix(">"), trimmed.lowercased().hasPrefix("action:") else { continue }
            let argument = trimmed.dropFirst("action:".count).trimmingCharacters(in: " \t").lowercased()
            if argument == "taken" || argument == "done" || argument == "closed" {
                command = .taken
            } else if argument.hasPrefix("extend"), let date = dates.firstDate(in: argument.dropFirst("extend".count)) {
                command = .extend(date)
            }
            if command != nil { break }
        }
        return StatementReply(reference: reference, command: command, sender: message.from.first?.address)
    }

    /// The first `PREFIX-YYYY-NNNN` in `text`.
    static func reference(in text: String, prefix: String) -> StatementReference? {
        let upper = text.uppercased()
        let marker = prefix.uppercased() + "-"
        var searchStart = upper.startIndex
        while let range = upper.range(of: marker, range: searchStart..<upper.endIndex) {
            let tail = upper[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if let reference = StatementReference(tail), reference.prefix == prefix.uppercased() {
                return StatementReference(prefix: prefix, year: reference.year, number: reference.number)
            }
            searchStart = range.upperBound
        }
        return nil
    }
}
