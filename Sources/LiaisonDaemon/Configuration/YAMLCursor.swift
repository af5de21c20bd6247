import Foundation
import Yams

/// Walks a YAML node tree while remembering the key path, and collects problems with their
/// file and line instead of stopping at the first one.
final class YAMLCursor {
    let file: String
    private(set) var problems: [ConfigProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Takes over the problems found in another file (an included directory file).
    func absorb(_ others: [ConfigProblem]) {
        problems += others
    }

    func problem(_ message: String, at node: Node?, key: String) {
        problems.append(ConfigProblem(file: file, line: node?.mark?.line, key: key, message: message))
    }

    /// The mapping at `node`, reporting a problem when it is something else.
    func mapping(_ node: Node?, key: String) -> Node.Mapping? {
        guard let node else { return nil }
        if YAMLCursor.isNull(node) { return nil }
        guard let mapping = node.mapping else {
            problem("expected a mapping of keys to values", at: node, key: key)
            return nil
        }
        return mapping
    }

    /// Reports keys of a mapping that are not among `known` (usually a typo).
    func rejectUnknownKeys(_ mapping: Node.Mapping, known: Set<String>, key: String) {
        for (name, _) in mapping {
            guard let text = name.string, !known.contains(text) else { continue }
            let suggestion = known.sorted().first { YAMLCursor.isNearMiss(text, $0) }.map { " (did you mean \($0)?)" } ?? ""
            problem("unknown key\(suggestion)", at: name, key: YAMLCursor.join(key, text))
        }
    }

    func string(_ mapping: Node.Mapping?, _ name: String, parent: String, required: Bool = false) -> String? {
        let key = YAMLCursor.join(parent, name)
        guard let node = mapping?[name] else {
            if required { problem("is required", at: nil, key: key) }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            problem("expected a text value", at: node, key: key)
            return nil
        }
        if YAMLCursor.isNull(node) {
            if required { problem("is required", at: node, key: key) }
            return nil
        }
        return scalar.string
    }

    func int(_ mapping: Node.Mapping?, _ name: String, parent: String, range: ClosedRange<Int>) -> Int? {
        let key = YAMLCursor.join(parent, name)
        guard let node = mapping?[name] else { return nil }
        guard let value = node.int else {
            problem("expected a whole number", at: node, key: key)
            return nil
        }
        guard range.contains(value) else {
            problem("must be between \(range.lowerBound) and \(range.upperBound)", at: node, key: key)
            return nil
        }
        return value
    }

    func bool(_ mapping: Node.Mapping?, _ name: String, parent: String) -> Bool? {
        let key = YAMLCursor.join(parent, name)
        guard let node = mapping?[name] else { return nil }
        guard let value = node.bool else {
            problem("expected true or false", at: node, key: key)
            return nil
        }
        return value
    }

    /// A list of strings; a single string is accepted as a list of one.
    func strings(_ mapping: Node.Mapping?, _ name: String, parent: String) -> [(String, Node)] {
        let key = YAMLCursor.join(parent, name)
        guard let node = mapping?[name] else { return [] }
        switch node {
        case .scalar(let scalar):
            if YAMLCursor.isNull(node) { return [] }
            return [(scalar.string, node)]
        case .sequence(let sequence):
            var values: [(String, Node)] = []
            for (index, item) in sequence.enumerated() {
                guard case .scalar(let scalar) = item else {
                    problem("expected a text value", at: item, key: "\(key)[\(index)]")
                    continue
                }
                values.append((scalar.string, item))
            }
            return values
        default:
            problem("expected a list of text values", at: node, key: key)
            return []
        }
    }

    /// The items of a sequence, each with its key path.
    func sequence(_ mapping: Node.Mapping?, _ name: String, parent: String) -> [(Node, String)] {
        let key = YAMLCursor.join(parent, name)
        guard let node = mapping?[name] else { return [] }
        if YAMLCursor.isNull(node) { return [] }
        guard let sequence = node.sequence else {
            problem("expected a list", at: node, key: key)
            return []
        }
        return sequence.enumerated().map { ($1, "\(key)[\($0)]") }
    }

    /// `~`, `null` or nothing at all after the colon.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return node.null != nil || (scalar.string.isEmpty && scalar.style == .plain)
    }

    static func join(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : "\(parent).\(name)"
    }

    /// Two keys one edit apart, or differing only in `-`/`_`.
    static func isNearMiss(_ a: String, _ b: String) -> Bool {
        let normal = { (s: String) in s.lowercased().replacingOccurrences(of: "-", with: "_") }
        if normal(a) == normal(b) { return true }
        let x = Array(a), y = Array(b)
        guard abs(x.count - y.count) <= 1 else { return false }
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count] <= 1
    }
}
