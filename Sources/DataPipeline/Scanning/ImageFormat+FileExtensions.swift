extension ImageFormat {
    /// The file-name extensions (lowercase, without the dot) that name this format; empty for `unknown`.
    ///
    /// JPEG answers to `jpg`, `jpeg` and `jpe` alike, TIFF to `tif` and `tiff`,
    /// so only a real disagreement between a file's name and its bytes (a PNG
    /// called `.JPEG`, a GIF called `.jpg`) counts as a wrong extension.
    public var fileExtensions: [String] {
        switch self {
        case .jpeg: return ["jpg", "jpeg", "jpe", "jfif"]
        case .png: return ["png"]
        case .gif: return ["gif"]
        case .webp: return ["webp"]
        case .bmp: return ["bmp", "dib"]
        case .tiff: return ["tif", "tiff"]
        case .unknown: return []
        }
    }

    /// Whether a file called `fileName` holding bytes of this format is misnamed: the format is known and the name's extension is not one of its own.
    ///
    /// Bytes of `unknown` format never contradict a name (there is no right
    /// name to compare with; the decoder reports such a file as unsupported).
    /// The extension is compared ignoring case; a name without one contradicts any known format.
    public func contradicts(fileName: String) -> Bool {
        guard self != .unknown else { return false }
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count > 1, let last = parts.last else { return true }
        return !fileExtensions.contains(last.lowercased())
    }
}
