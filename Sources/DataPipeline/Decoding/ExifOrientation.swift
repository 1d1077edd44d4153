/// The EXIF orientation tag (0x0112): how the stored pixels must be transformed to display upright.
///
/// Raw values are the tag's values 1–8. Each case is named after the transform
/// that turns the stored image into the displayed one, the same transform
/// PIL's `ImageOps.exif_transpose` applies: 2 mirrors left–right, 3 rotates
/// 180°, 4 mirrors top–bottom, 5 transposes (mirrors across the main diagonal),
/// 6 rotates 90° clockwise, 7 transverses (mirrors across the anti-diagonal),
/// 8 rotates 90° counter-clockwise. Cameras write 6 and 8 for portrait shots,
/// so ignoring the tag trains on sideways images. Cases 5–8 swap width and height.
public enum ExifOrientation: Int, Equatable, Hashable, Sendable, CaseIterable {
    /// 1: stored upright.
    case identity = 1
    /// 2: mirror left–right (PIL `FLIP_LEFT_RIGHT`).
    case mirrorHorizontally = 2
    /// 3: rotate 180° (PIL `ROTATE_180`).
    case rotate180 = 3
    /// 4: mirror top–bottom (PIL `FLIP_TOP_BOTTOM`).
    case mirrorVertically = 4
    /// 5: mirror across the main diagonal, row r becomes column r (PIL `TRANSPOSE`).
    case transpose = 5
    /// 6: rotate 90° clockwise (PIL `ROTATE_270`, which PIL counts counter-clockwise).
    case rotate90Clockwise = 6
    /// 7: mirror across the anti-diagonal (PIL `TRANSVERSE`).
    case transverse = 7
    /// 8: rotate 90° counter-clockwise (PIL `ROTATE_90`).
    case rotate90CounterClockwise = 8

    /// Whether displaying the image swaps its width and height (orientations 5–8).
    public var swapsWidthAndHeight: Bool {
        rawValue >= 5
    }
}
