import Foundation
import LiaisonCore

/// The JSON printed by `liaison parse --json`: ``StatementOutput`` (defined in `LiaisonCore`, so
/// the statement fixtures are checked against exactly this form), pretty-printed with sorted keys.
struct StatementJSON {
    let output: StatementOutput

    init(_ statement: Statement) {
        output = StatementOutput(statement)
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}
