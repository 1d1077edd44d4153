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

/// Decodes the rows and columns of the window (x, y, width, height) of an in-memory JPEG,
/// exactly the pixels a whole decode has there.
///
/// Layout: row `y + r` of the image goes to `output + r * output_row_stride`, `height`
/// rows, each holding the image row in place: the pixel of column c at byte
/// `c * channels`, so a row needs `scaled_width * channels` bytes and
/// `output_capacity` must reach the end of the last one. Columns
/// `*actual_x ..< *actual_x + *actual_width`, which include the window (libjpeg decodes
/// whole iMCUs, plus a margin), hold decoded pixels; the rest of each row is zeroed.
/// Rows are written where the caller's image has them, so nothing is copied after
/// libjpeg's colour conversion. Coordinates are in the image decoded at
/// 1/`scale_denominator` scale (`ceil(side / scale_denominator)` per side), before any
/// orientation. `channels` 3 gives RGB, 1 libjpeg's greyscale output (meant for grey
/// files). The decode uses the accurate integer inverse DCT and fancy upsampling, as
/// Hone's TurboJPEG path does, and treats every libjpeg warning as a failure. Rows below
/// the window are not decoded at all, rows above it are only entropy-decoded, and the
/// columns are cropped to the iMCUs the window touches; a margin decoded left and right
/// of the window keeps its edge columns identical to the whole decode's.
/// `scaled_width` and `scaled_height` receive the scaled image size, and `actual_x` and
/// `actual_width` the decoded columns, each when not NULL (0 until known).
int hone_jpeg_decode_region(const unsigned char *data, size_t size, int scale_denominator,
                            int x, int y, int width, int height, int channels,
                            unsigned char *output, size_t output_row_stride, size_t output_capacity,
                            int *scaled_width, int *scaled_height, int *actual_x, int *actual_width,
                            char *message, size_t message_capacity);

#endif
