/// Splits a tar member's path into a WebDataset sample key and extension.
///
/// The rule is webdataset's `base_plus_ext`, the regular expression
/// `^((?:.*/|)[^.]+)[.]([^/]*)$`: the key is the path up to the first dot of the
/// file name, the extension everything after it (`train/0001.seg.png` gives key
/// `train/0001` and extension `seg.png`). A file name without a dot, or one whose
/// only dots are at its start (`.hidden`), has no key and the member is
/// skipped, as webdataset skips it. The one odd case of the expression is kept
/// too: `dir/.x.jpg` splits at the dot after `dir/`, giving key `dir/`.
enum WebDatasetKey {
    /// The key and the extension (lowercased, as webdataset does by default), or `nil` when the path has none.
    static func split(_ path: String) -> (key: String, extension: String)? {
        let bytes = Array(path.utf8)
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        let lastSlash = bytes.lastIndex(of: slash)
        var starts = bytes.indices.filter { bytes[$0] == slash }.map { $0 + 1 }.reversed() as [Int]
        starts.append(0)
        for start in starts {
            guard let firstDot = bytes[start...].firstIndex(of: dot), firstDot > start else { continue }
            guard lastSlash.map({ firstDot > $0 }) ?? true else { continue }
            let key = String(decoding: bytes[..<firstDot], as: UTF8.self)
            let fileExtension = String(decoding: bytes[(firstDot + 1)...], as: UTF8.self)
            return (key, fileExtension.lowercased())
        }
        return nil
    }
}
