import Recipes

/// Why an experiment file could not be used: the recipe loader's located error, `file:line:col: key: message`.
///
/// The same type as `RecipeError` (same fields, same rendering), so editors and terminals jump
/// to the spot either way. A cell's recipe that fails to load is reported at the cell's
/// override in the experiment file, naming the cell, because that is the line the user must fix.
public typealias ExperimentError = RecipeError
