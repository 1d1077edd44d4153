import Foundation

/// Picks the valid key a misspelt one most likely meant, for "did you mean" hints.
///
/// Case, `-` versus `_`, and up to two edits (Levenshtein) count as near; anything further
/// gets no suggestion, since a wrong guess is worse than the plain list of valid keys.
enum KeySuggestion {
    static func nearest(to name: String, among candidates: [String]) -> String? {
        let normalized = normalize(name)
        if let exact = candidates.first(where: { normalize($0) == normalized }) { return exact }
        let scored = candidates.map { (candidate: $0, distance: distance(normalized, normalize($0))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= 2,
              best.distance < max(normalized.count, 1) else {
            return nil
        }
        return best.candidate
    }

    private static func normalize(_ key: String) -> [Character] {
        Array(key.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// The Levenshtein distance between two character arrays.
    private static func distance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1]
            for (j, right) in rhs.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}
