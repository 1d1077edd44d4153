extension ImageScanRecord: Encodable {
    /// Writes `path`, `key`, `status`, `reason`, `category`, `format`, `width`, `height`, `orientation` and one Boolean per flag.
    ///
    /// `status` is `ok` or `error`; `key` is a tar member's WebDataset key;
    /// `orientation` is the EXIF tag's value 1–8; flags are keyed by their raw
    /// values (`cmyk`, `wrongExtension`, …). Every key is always present, with
    /// `null` for what is unknown or does not apply (`reason` and `category` of a
    /// file that decodes, `format` of one that could not be read, `key` of a
    /// file), so every line has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONLine.Key.self)
        try container.encode(path, forKey: JSONLine.Key("path"))
        try container.encode(memberKey, forKey: JSONLine.Key("key"))
        try container.encode(isOK ? "ok" : "error", forKey: JSONLine.Key("status"))
        try container.encode(reason, forKey: JSONLine.Key("reason"))
        try container.encode(errorCategory?.rawValue, forKey: JSONLine.Key("category"))
        try container.encode(format?.rawValue, forKey: JSONLine.Key("format"))
        try container.encode(width, forKey: JSONLine.Key("width"))
        try container.encode(height, forKey: JSONLine.Key("height"))
        try container.encode(orientation?.rawValue, forKey: JSONLine.Key("orientation"))
        for flag in ImageScanFlag.allCases {
            try container.encode(flags.contains(flag), forKey: JSONLine.Key(flag.rawValue))
        }
    }

    /// The record as one line of JSON with sorted keys.
    public var jsonLine: String {
        JSONLine.encode(self)
    }
}
