// PIL's fixed-point resampling passes in C, with SIMD versions chosen at run time.
//
// Same arithmetic as Pillow's ImagingResampleHorizontal/Vertical (32-bit integer
// weights with `precision_bits` fraction bits, sums starting at half a unit,
// arithmetic shift, clamp to 0...255), so every result is byte-identical whichever
// version runs; the SIMD versions only do several channels or columns per instruction.
#ifndef HONE_RESAMPLE_H
#define HONE_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

/// The horizontal pass: each of `rows` rows of `source` (`channels` bytes per pixel)
/// resampled to `output_width` pixels. Output pixel `x` sums `count[x]` source pixels
/// from `first[x]` with `weights[x * taps ...]`. `source_end` is one past the last
/// readable byte, so the vector loads never read beyond it.
void hone_resample_rows(const uint8_t *source, ptrdiff_t row_stride, const uint8_t *source_end, int rows,
                        int channels, const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                        int output_width, uint8_t *output, int precision_bits);

/// The vertical pass: output row `y` sums `count[y]` rows of `row_bytes` bytes from row
/// `first[y] - first_row` of `source` with `weights[y * taps ...]`.
void hone_resample_columns(const uint8_t *source, ptrdiff_t row_stride, int first_row, int row_bytes,
                           const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                           int output_rows, uint8_t *output, int precision_bits);

/// Turns the SIMD versions off (0) or back on (1, the default): for comparing them with
/// the scalar versions in tests and benchmarks.
void hone_resample_set_simd_enabled(int enabled);

#endif
