import Yams

/// Turns Yams' parse errors into `RecipeError`s: the problem in words, at Yams' line and column.
///
/// Duplicate keys get special care: Yams reports only the first occurrence's position and
/// the bare key, so the block-indentation structure of the text is used to find the
/// second occurrence and the dotted path above it, which is what the user must fix.
enum YAMLSyntaxError {
    static func recipeError(_ error: YamlError, yaml: String, source: String, reportsPositions: Bool) -> RecipeError {
        func located(_ mark: Mark?, _ message: String) -> RecipeError {
            RecipeError(source: source, line: reportsPositions ? mark?.line : nil,
                        column: reportsPositions ? mark?.column : nil, message: message)
        }
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context, !context.text.isEmpty else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return located(mark, "invalid YAML: \(describe(context, problem))")
        case let .reader(problem, _, _, _):
            return located(nil, "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            guard let found = DuplicateKeyLocator.locate(key: key, first: context.mark, in: yaml) else {
                return located(context.mark, "duplicate key '\(key)'")
            }
            return RecipeError(source: source, line: reportsPositions ? found.line : nil,
                               column: reportsPositions ? found.column : nil, keyPath: found.path,
                               message: "duplicate key '\(key)'; it was first given at line \(context.mark.line)")
        default:
            return located(nil, "invalid YAML: \(error)")
        }
    }
}
