// Decoding a window of a JPEG through libjpeg-turbo's libjpeg API (jpeg_crop_scanline,
// jpeg_skip_scanlines), with libjpeg's setjmp/longjmp error handling kept inside C.
#ifndef HONE_JPEG_REGION_H
#define HONE_JPEG_REGION_H

#include <stddef.h>

/// What `hone_jpeg_decode_region` reports.
enum hone_jpeg_region_status {
    /// The window was written to the output.
    HONE_JPEG_REGION_OK = 0,
    /// libjpeg failed or warned (corrupt, truncated, unsupported data); `message` holds its words.
    HONE_JPEG_REGION_FAILED = 1,
    /// The file is valid as far as read but this path does not handle it (CMYK or YCCK colour,
    /// no end-of-image marker at the end of the data): decode the whole image the usual way.
    HONE_JPEG_REGION_NEEDS_FULL_DECODE = 2,
    /// The arguments are inconsistent (window outside the scaled image, output too small,
    /// channels not 1 or 3, scale not 1, 2, 4 or 8); `message` says which.
    HONE_JPEG_REGION_BAD_ARGUMENT = 3,
};

/// Decodes the window (x, y, width, height) of an in-memory JPEG, exactly the pixels a whole decode has there.
///
/// Layout: the window is written row by row, `width * channels` bytes per row, rows
/// `output_row_stride` bytes apart, starting at `output`; `output_capacity` bytes from
/// `output` must hold it. Coordinates are in the image decoded at 1/`scale_denominator`
/// scale (`ceil(side / scale_denominator)` per side), before any orientation.
/// `channels` 3 gives RGB, 1 gives libjpeg's greyscale output (meant for grey files).
/// The decode uses the accurate integer inverse DCT and fancy upsampling, as Hone's
/// TurboJPEG path does, and treats every libjpeg warning as a failure. Rows below the
/// window are not decoded at all, rows above it are only entropy-decoded, and the
/// columns are cropped to the iMCUs the window touches; a margin decoded left and right
/// of the window and cut away keeps its edge columns identical to the whole decode's.
/// `scaled_width` and `scaled_height` receive the scaled image size when not NULL,
/// also on failure once the header has been read (0 before).
int hone_jpeg_decode_region(const unsigned char *data, size_t size, int scale_denominator,
                            int x, int y, int width, int height, int channels,
                            unsigned char *output, size_t output_row_stride, size_t output_capacity,
                            int *scaled_width, int *scaled_height,
                            char *message, size_t message_capacity);

#endif
