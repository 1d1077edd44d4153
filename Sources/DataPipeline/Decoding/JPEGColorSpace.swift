/// The colour space of a JPEG's stored components, decided from the headers as libjpeg decides it.
///
/// Three components are YCbCr unless an Adobe APP14 marker with transform 0 or
/// the component ids `R`, `G`, `B` say RGB; four are CMYK, or YCCK when the
/// Adobe transform is 2. CMYK and YCCK files (ImageNet holds a few) cannot be
/// decoded straight to RGB by TurboJPEG: the decoder reads them as CMYK and
/// converts, as PIL does.
public enum JPEGColorSpace: String, Equatable, Hashable, Sendable, CaseIterable {
    /// One component: luminance only.
    case grey
    /// Three components, luminance and two chroma: almost every photograph.
    case yCbCr
    /// Three components stored as RGB without a colour transform.
    case rgb
    /// Four components, as Adobe applications write them (inverted).
    case cmyk
    /// Four components, YCbCr plus K, transformed back to CMYK on decoding.
    case ycck

    /// How many components a frame in this colour space has.
    public var componentCount: Int {
        switch self {
        case .grey: return 1
        case .yCbCr, .rgb: return 3
        case .cmyk, .ycck: return 4
        }
    }
}
