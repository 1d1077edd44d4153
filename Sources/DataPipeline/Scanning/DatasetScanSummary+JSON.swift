extension DatasetScanSummary: Encodable {
    /// One class and its sample count, as the summary line lists them.
    private struct ClassCount: Encodable {
        let name: String
        let count: Int
    }

    /// Writes `"summary": true` (telling the line from the per-file ones), `files`, `ok`, `errors`,
    /// `errorsByCategory` and `flags` (objects holding every category and flag),
    /// `classes` (an array of `{"name", "count"}` in class-id order), `threads`,
    /// `elapsedSeconds` and `filesPerSecond` (both rounded to milliseconds and hundredths).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONLine.Key.self)
        try container.encode(true, forKey: JSONLine.Key("summary"))
        try container.encode(fileCount, forKey: JSONLine.Key("files"))
        try container.encode(okCount, forKey: JSONLine.Key("ok"))
        try container.encode(errorCount, forKey: JSONLine.Key("errors"))
        try container.encode(
            Dictionary(uniqueKeysWithValues: errorCounts.map { ($0.key.rawValue, $0.value) }),
            forKey: JSONLine.Key("errorsByCategory")
        )
        try container.encode(
            Dictionary(uniqueKeysWithValues: flagCounts.map { ($0.key.rawValue, $0.value) }), forKey: JSONLine.Key("flags")
        )
        try container.encode(
            zip(classNames, classCounts).map { ClassCount(name: $0.0, count: $0.1) }, forKey: JSONLine.Key("classes")
        )
        try container.encode(threads, forKey: JSONLine.Key("threads"))
        try container.encode((elapsedSeconds * 1000).rounded() / 1000, forKey: JSONLine.Key("elapsedSeconds"))
        try container.encode((filesPerSecond * 100).rounded() / 100, forKey: JSONLine.Key("filesPerSecond"))
    }

    /// The summary as one line of JSON with sorted keys.
    public var jsonLine: String {
        JSONLine.encode(self)
    }
}
