// Decoding a window of a JPEG with libjpeg's partial-decompression calls (see include/jpeg_region.h).
//
// libjpeg reports errors by calling error_exit, which must not return; the error manager
// here longjmps back into hone_jpeg_decode_region, which destroys the decompressor and
// returns a status, so no longjmp ever crosses a Swift frame.
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "jpeg_region.h"

/// The most scans a progressive file may have, as TurboJPEG's TJFLAG_LIMITSCANS allows: a
/// file with thousands of tiny scans could otherwise keep the decoder busy for minutes.
#define HONE_JPEG_MAXIMUM_SCANS 500

/// libjpeg's error manager extended with the jump back into hone_jpeg_decode_region and the
/// message of the failure; `base` comes first so that cinfo->err can be cast to this type.
struct region_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
};

/// Records libjpeg's message for the current error and jumps out of the library.
static void escape_with_library_message(j_common_ptr cinfo) {
    struct region_error_manager *errors = (struct region_error_manager *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->message);
    longjmp(errors->escape, 1);
}

/// Treats warnings (level -1: corrupt data, premature end of file) as errors, as Hone's
/// TurboJPEG path does: libjpeg would otherwise pad the missing data with grey and carry on.
/// Trace messages (levels 0 and up) are dropped.
static void escape_on_warning(j_common_ptr cinfo, int message_level) {
    if (message_level < 0) {
        escape_with_library_message(cinfo);
    }
}

/// Prints nothing: messages reach Swift through the status and the message buffer.
static void print_nothing(j_common_ptr cinfo) {
    (void)cinfo;
}

/// Stops a progressive file once it has more scans than HONE_JPEG_MAXIMUM_SCANS.
static void limit_scans(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) {
        return;
    }
    j_decompress_ptr decompressor = (j_decompress_ptr)cinfo;
    if (decompressor->input_scan_number > HONE_JPEG_MAXIMUM_SCANS) {
        struct region_error_manager *errors = (struct region_error_manager *)cinfo->err;
        snprintf(errors->message, sizeof errors->message,
                 "Progressive JPEG image has more than %d scans", HONE_JPEG_MAXIMUM_SCANS);
        longjmp(errors->escape, 1);
    }
}

/// Copies `text` into the caller's message buffer, truncated and always terminated.
static void write_message(char *message, size_t message_capacity, const char *text) {
    if (message != NULL && message_capacity > 0) {
        snprintf(message, message_capacity, "%s", text);
    }
}

/// Whether the data ends with the end-of-image marker FF D9.
///
/// The region decode stops after the window's last row, so it never reads to the end
/// of the entropy-coded data and cannot see a file cut short below the window. A cut
/// file lacks the final marker (inside entropy-coded data FF is always followed by 00 or
/// a restart marker), so checking it keeps "a truncated file always fails" true; a file
/// with bytes after its marker is sent to the whole decode, which accepts it.
static int ends_with_end_of_image(const unsigned char *data, size_t size) {
    return size >= 4 && data[size - 2] == 0xFF && data[size - 1] == 0xD9;
}

/// Writes a failure of the arguments to the message buffer and returns its status.
static int refuse_arguments(char *message, size_t message_capacity, const char *text) {
    write_message(message, message_capacity, text);
    return HONE_JPEG_REGION_BAD_ARGUMENT;
}

/// Rows handed to one jpeg_read_scanlines call: more than libjpeg's largest row group
/// (rec_outbuf_height, at most 4), so that it writes every row straight into the output
/// rather than through its spare row.
#define HONE_JPEG_ROWS_PER_READ 16

int hone_jpeg_decode_region(const unsigned char *data, size_t size, int scale_denominator,
                            int x, int y, int width, int height, int channels,
                            unsigned char *output, size_t output_row_stride, size_t output_capacity,
                            int *scaled_width, int *scaled_height, int *actual_x, int *actual_width,
                            char *message, size_t message_capacity) {
    char argument_message[200];
    if (scaled_width != NULL) *scaled_width = 0;
    if (scaled_height != NULL) *scaled_height = 0;
    if (actual_x != NULL) *actual_x = 0;
    if (actual_width != NULL) *actual_width = 0;
    write_message(message, message_capacity, "");
    if (channels != 1 && channels != 3) {
        snprintf(argument_message, sizeof argument_message, "channels must be 1 or 3, got %d", channels);
        return refuse_arguments(message, message_capacity, argument_message);
    }
    if (scale_denominator != 1 && scale_denominator != 2 && scale_denominator != 4 && scale_denominator != 8) {
        snprintf(argument_message, sizeof argument_message,
                 "the scale denominator must be 1, 2, 4 or 8, got %d", scale_denominator);
        return refuse_arguments(message, message_capacity, argument_message);
    }
    if (x < 0 || y < 0 || width <= 0 || height <= 0 || output == NULL) {
        snprintf(argument_message, sizeof argument_message,
                 "the window (x %d, y %d, %d x %d) must not be empty or start before the image, and the output "
                 "must exist", x, y, width, height);
        return refuse_arguments(message, message_capacity, argument_message);
    }
    if (!ends_with_end_of_image(data, size)) {
        return HONE_JPEG_REGION_NEEDS_FULL_DECODE;
    }

    struct jpeg_decompress_struct cinfo;
    struct region_error_manager errors;
    struct jpeg_progress_mgr progress;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&progress, 0, sizeof progress);
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = escape_with_library_message;
    errors.base.emit_message = escape_on_warning;
    errors.base.output_message = print_nothing;
    errors.message[0] = '\0';
    if (setjmp(errors.escape)) {
        write_message(message, message_capacity, errors.message);
        jpeg_destroy_decompress(&cinfo);
        return HONE_JPEG_REGION_FAILED;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = limit_scans;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        return HONE_JPEG_REGION_NEEDS_FULL_DECODE;
    }

    // The settings of Hone's TurboJPEG path, which match PIL's decode exactly.
    cinfo.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned int)scale_denominator;
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    jpeg_calc_output_dimensions(&cinfo);
    if (scaled_width != NULL) *scaled_width = (int)cinfo.output_width;
    if (scaled_height != NULL) *scaled_height = (int)cinfo.output_height;
    size_t image_row_bytes = (size_t)cinfo.output_width * (size_t)channels;
    if ((JDIMENSION)x + (JDIMENSION)width > cinfo.output_width ||
        (JDIMENSION)y + (JDIMENSION)height > cinfo.output_height ||
        output_row_stride < image_row_bytes ||
        output_capacity < (size_t)(height - 1) * output_row_stride + image_row_bytes) {
        snprintf(argument_message, sizeof argument_message,
                 "the window (x %d, y %d, %d x %d) must lie within the %u x %u image decoded at 1/%d scale, "
                 "and its rows of %zu bytes within the output (row stride %zu, capacity %zu)",
                 x, y, width, height, cinfo.output_width, cinfo.output_height, scale_denominator,
                 image_row_bytes, output_row_stride, output_capacity);
        jpeg_destroy_decompress(&cinfo);
        return refuse_arguments(message, message_capacity, argument_message);
    }
    jpeg_start_decompress(&cinfo);

    // One iMCU (the unit libjpeg decodes, 8 to 16 output pixels at full scale) of margin
    // left and right of the window. Fancy upsampling treats the edges of a cropped row as
    // image edges (libjpeg.txt, "Decompressing partial scanlines"), which changes up to one
    // chroma sample (two output pixels) in; decoding a wider margin leaves the window's
    // columns exactly as the whole decode has them. No margin above: jpeg_skip_scanlines
    // itself decodes the context rows fancy upsampling needs, so the first rows after a
    // skip already equal the whole decode's (the tests check every starting row of the
    // first iMCU rows and thousands of windows of real pictures).
    JDIMENSION imcu_width = (JDIMENSION)(cinfo.max_h_samp_factor * cinfo.min_DCT_scaled_size);
    JDIMENSION window_left = (JDIMENSION)x;
    JDIMENSION window_top = (JDIMENSION)y;
    JDIMENSION window_end_column = window_left + (JDIMENSION)width;
    JDIMENSION window_end_row = window_top + (JDIMENSION)height;
    JDIMENSION crop_left = window_left > imcu_width ? window_left - imcu_width : 0;
    JDIMENSION crop_end = window_end_column + imcu_width < cinfo.output_width
                              ? window_end_column + imcu_width : cinfo.output_width;
    JDIMENSION crop_width = crop_end - crop_left;
    jpeg_crop_scanline(&cinfo, &crop_left, &crop_width);
    if (actual_x != NULL) *actual_x = (int)crop_left;
    if (actual_width != NULL) *actual_width = (int)crop_width;
    if (window_top > 0) {
        jpeg_skip_scanlines(&cinfo, window_top);
    }

    // libjpeg writes each row straight into its place in the output (the cropped row
    // starts at column crop_left), several rows per call; the columns it does not decode
    // are zeroed so that every byte of the output rows is defined.
    size_t left_bytes = (size_t)crop_left * (size_t)channels;
    size_t decoded_bytes = (size_t)crop_width * (size_t)channels;
    for (int row = 0; row < height; row++) {
        unsigned char *row_start = output + (size_t)row * output_row_stride;
        memset(row_start, 0, left_bytes);
        memset(row_start + left_bytes + decoded_bytes, 0, image_row_bytes - left_bytes - decoded_bytes);
    }
    JSAMPROW rows[HONE_JPEG_ROWS_PER_READ];
    while (cinfo.output_scanline < window_end_row) {
        JDIMENSION first = cinfo.output_scanline;
        JDIMENSION count = window_end_row - first < HONE_JPEG_ROWS_PER_READ
                               ? window_end_row - first : HONE_JPEG_ROWS_PER_READ;
        for (JDIMENSION index = 0; index < count; index++) {
            rows[index] = output + (size_t)(first + index - window_top) * output_row_stride + left_bytes;
        }
        if (jpeg_read_scanlines(&cinfo, rows, count) == 0) {
            snprintf(errors.message, sizeof errors.message, "libjpeg returned no scanline for row %u", first);
            longjmp(errors.escape, 1);
        }
    }
    jpeg_abort_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return HONE_JPEG_REGION_OK;
}
