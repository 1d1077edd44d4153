/// How small a JPEG may be decoded, letting TurboJPEG scale by 1/2, 1/4 or 1/8 inside the inverse DCT.
///
/// Sizes are in displayed pixels, after EXIF orientation: for a portrait photo
/// stored sideways (orientation 6) a requirement of 224 wide by 300 tall limits
/// the stored height and width respectively. Scaling in the DCT skips most of
/// the decoding work, so a loader that resizes a 500×375 photo to 256 on its
/// shorter side asks for `shorterSideAtLeast(256)` and gets the full decode (375
/// halved would be 188), whereas a 1000×750 photo decodes at 1/2 to 500×375.
/// PNG has no such shortcut and always decodes at full size.
public enum MinimumDecodedSize: Equatable, Hashable, Sendable {
    /// Decode at full resolution.
    case fullResolution
    /// The decoded image must be at least this wide and this tall.
    case atLeast(width: Int, height: Int)
    /// The decoded image's shorter side must be at least this long.
    case shorterSideAtLeast(Int)
}
