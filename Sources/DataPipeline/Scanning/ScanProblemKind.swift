/// One kind of problem a scan reports: an error category or a flag, the unit a report groups files by.
public enum ScanProblemKind: Hashable, Sendable, CustomStringConvertible {
    /// Files that failed with this category.
    case error(ImageDecodingError.Category)
    /// Files carrying this flag.
    case flag(ImageScanFlag)

    /// Every kind in report order: the error categories, then the flags.
    public static let allCases: [ScanProblemKind] =
        ImageDecodingError.Category.allCases.map { .error($0) } + ImageScanFlag.allCases.map { .flag($0) }

    /// The kinds `record` belongs to: its error category (if any), then its flags in `allCases` order.
    public static func kinds(of record: ImageScanRecord) -> [ScanProblemKind] {
        var kinds: [ScanProblemKind] = record.errorCategory.map { [.error($0)] } ?? []
        kinds += ImageScanFlag.allCases.filter { record.flags.contains($0) }.map { .flag($0) }
        return kinds
    }

    /// The category's or flag's name, as `--json` spells it.
    public var description: String {
        switch self {
        case let .error(category): return category.rawValue
        case let .flag(flag): return flag.rawValue
        }
    }
}
