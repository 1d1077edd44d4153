import Recipes

extension ExperimentLoader {
    /// The cells of a `grid:` mapping: every combination of the listed values, the first key varying slowest.
    ///
    /// A cell is named from its values, `label_smoothing=0.1,mixup=0.2`, using each key's last
    /// component unless two keys share it (then the whole dotted key), so the names stay short
    /// and readable as folder names and table rows.
    static func gridCells(_ reader: YAMLNodeReader,
                          locations: inout [String: SourceLocation]) throws(ExperimentError) -> [ExperimentCell] {
        let entries = try reader.entries(expected: "a mapping of recipe keys to lists of values, such as "
                                         + "{loss.label_smoothing: [0, 0.1]}")
        guard !entries.isEmpty else {
            throw reader.mismatch(expected: "at least one recipe key with a list of values")
        }
        var factors: [(key: String, values: [String])] = []
        for entry in entries {
            guard entry.key != "seed" else {
                throw entry.reader.error("a grid cannot vary 'seed'; the runs' seeds come from 'seeds'", at: entry.keyMark)
            }
            var values: [String] = []
            for element in try entry.reader.elements(expected: "a non-empty list of values, such as [0, 0.1]") {
                let value = try element.flowText()
                guard !values.contains(value) else { throw element.error("the value \(value) is listed twice") }
                values.append(value)
            }
            locations[entry.reader.keyPath] = entry.keyMark.map { SourceLocation(line: $0.line, column: $0.column) }
            factors.append((entry.key, values))
        }
        let leaves = factors.map { $0.key.split(separator: ".").last.map(String.init) ?? $0.key }
        let labels = factors.indices.map { index in
            leaves.filter { $0 == leaves[index] }.count > 1 ? factors[index].key : leaves[index]
        }
        var combinations: [[Int]] = [[]]
        for factor in factors {
            combinations = combinations.flatMap { prefix in factor.values.indices.map { prefix + [$0] } }
        }
        return combinations.map { choice in
            let overrides = choice.enumerated().map { factor, value in
                ExperimentCell.Override(key: factors[factor].key, value: factors[factor].values[value])
            }
            let name = choice.enumerated().map { factor, value in
                "\(labels[factor])=\(nameText(factors[factor].values[value]))"
            }.joined(separator: ",")
            return ExperimentCell(name: name, overrides: overrides)
        }
    }

    /// A value as it appears in a cell's name: no spaces, quotes or slashes.
    static func nameText(_ value: String) -> String {
        String(value.filter { $0 != " " && $0 != "'" }.map { $0 == "/" ? "-" : $0 })
    }
}
