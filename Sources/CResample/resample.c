// PIL's resampling passes, scalar and SIMD (see include/resample.h). The SIMD
// versions are compiled for SSE4.1 / AVX2 with target attributes and picked once at
// run time with __builtin_cpu_supports, so the build stays baseline x86-64.
#include <string.h>

#include "resample.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static volatile int simd_enabled = 1;

void hone_resample_set_simd_enabled(int enabled) {
    simd_enabled = enabled;
}

static inline uint8_t clamp_byte(int32_t sum, int precision_bits) {
    int32_t value = sum >> precision_bits;
    return (uint8_t)(value < 0 ? 0 : (value > 255 ? 255 : value));
}

static void rows_scalar(const uint8_t *source, ptrdiff_t row_stride, const uint8_t *source_end, int rows,
                        int channels, const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                        int output_width, uint8_t *output, int precision_bits) {
    (void)source_end;
    const int32_t half = 1 << (precision_bits - 1);
    for (int row = 0; row < rows; row++) {
        const uint8_t *input = source + row * row_stride;
        uint8_t *output_row = output + (ptrdiff_t)row * output_width * channels;
        for (int x = 0; x < output_width; x++) {
            const int32_t *kernel = weights + (ptrdiff_t)x * taps;
            const uint8_t *pixel = input + first[x] * channels;
            for (int c = 0; c < channels; c++) {
                int32_t sum = half;
                for (int64_t tap = 0; tap < count[x]; tap++) sum += (int32_t)pixel[tap * channels + c] * kernel[tap];
                output_row[x * channels + c] = clamp_byte(sum, precision_bits);
            }
        }
    }
}

static void columns_scalar(const uint8_t *source, ptrdiff_t row_stride, int first_row, int row_bytes,
                           const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                           int output_rows, uint8_t *output, int precision_bits) {
    const int32_t half = 1 << (precision_bits - 1);
    for (int y = 0; y < output_rows; y++) {
        const int32_t *kernel = weights + (ptrdiff_t)y * taps;
        const uint8_t *base = source + (first[y] - first_row) * row_stride;
        uint8_t *destination = output + (ptrdiff_t)y * row_bytes;
        for (int index = 0; index < row_bytes; index++) {
            int32_t sum = half;
            for (int64_t tap = 0; tap < count[y]; tap++) sum += (int32_t)base[tap * row_stride + index] * kernel[tap];
            destination[index] = clamp_byte(sum, precision_bits);
        }
    }
}

#if defined(__x86_64__)
/// Three channels at once: each source pixel's bytes widened to four 32-bit lanes (the fourth unused).
__attribute__((target("sse4.1")))
static void rows_rgb_sse41(const uint8_t *source, ptrdiff_t row_stride, const uint8_t *source_end, int rows,
                           int channels, const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                           int output_width, uint8_t *output, int precision_bits) {
    (void)channels;
    const __m128i half = _mm_set1_epi32(1 << (precision_bits - 1));
    const __m128i shift = _mm_cvtsi32_si128(precision_bits);
    for (int row = 0; row < rows; row++) {
        const uint8_t *input = source + row * row_stride;
        uint8_t *output_row = output + (ptrdiff_t)row * output_width * 3;
        for (int x = 0; x < output_width; x++) {
            const int32_t *kernel = weights + (ptrdiff_t)x * taps;
            const uint8_t *pixel = input + first[x] * 3;
            __m128i sum = half;
            for (int64_t tap = 0; tap < count[x]; tap++, pixel += 3) {
                int32_t bytes;
                if (pixel + 4 <= source_end) {
                    memcpy(&bytes, pixel, 4);
                } else {
                    bytes = pixel[0] | (pixel[1] << 8) | (pixel[2] << 16);
                }
                __m128i widened = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(bytes));
                sum = _mm_add_epi32(sum, _mm_mullo_epi32(widened, _mm_set1_epi32(kernel[tap])));
            }
            __m128i shifted = _mm_sra_epi32(sum, shift);
            __m128i packed = _mm_packus_epi16(_mm_packs_epi32(shifted, shifted), _mm_setzero_si128());
            int32_t result = _mm_cvtsi128_si32(packed);
            uint8_t *destination = output_row + x * 3;
            destination[0] = (uint8_t)result;
            destination[1] = (uint8_t)(result >> 8);
            destination[2] = (uint8_t)(result >> 16);
        }
    }
}

/// Three channels of two neighbouring output pixels at once: eight 32-bit lanes, four per pixel.
///
/// A pixel whose tap count differs from its neighbour's (near the edges) goes alone through the SSE4.1 version.
__attribute__((target("avx2")))
static void rows_rgb_avx2(const uint8_t *source, ptrdiff_t row_stride, const uint8_t *source_end, int rows,
                          int channels, const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                          int output_width, uint8_t *output, int precision_bits) {
    (void)channels;
    const __m256i half = _mm256_set1_epi32(1 << (precision_bits - 1));
    const __m128i shift = _mm_cvtsi32_si128(precision_bits);
    for (int row = 0; row < rows; row++) {
        const uint8_t *input = source + row * row_stride;
        uint8_t *output_row = output + (ptrdiff_t)row * output_width * 3;
        int x = 0;
        while (x < output_width) {
            const int64_t taps_here = count[x];
            if (x + 1 == output_width || count[x + 1] != taps_here) {
                rows_rgb_sse41(input, row_stride, source_end, 1, 3, weights + (ptrdiff_t)x * taps, taps, first + x,
                               count + x, 1, output_row + x * 3, precision_bits);
                x += 1;
                continue;
            }
            const int32_t *kernel0 = weights + (ptrdiff_t)x * taps;
            const int32_t *kernel1 = kernel0 + taps;
            const uint8_t *pixel0 = input + first[x] * 3;
            const uint8_t *pixel1 = input + first[x + 1] * 3;
            __m256i sum = half;
            for (int64_t tap = 0; tap < taps_here; tap++, pixel0 += 3, pixel1 += 3) {
                int32_t bytes0, bytes1;
                if (pixel1 + 4 <= source_end && pixel0 + 4 <= source_end) {
                    memcpy(&bytes0, pixel0, 4);
                    memcpy(&bytes1, pixel1, 4);
                } else {
                    bytes0 = pixel0[0] | (pixel0[1] << 8) | (pixel0[2] << 16);
                    bytes1 = pixel1[0] | (pixel1[1] << 8) | (pixel1[2] << 16);
                }
                __m256i widened = _mm256_cvtepu8_epi32(_mm_set_epi32(0, 0, bytes1, bytes0));
                __m256i weight = _mm256_setr_epi32(kernel0[tap], kernel0[tap], kernel0[tap], kernel0[tap],
                                                   kernel1[tap], kernel1[tap], kernel1[tap], kernel1[tap]);
                sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(widened, weight));
            }
            __m256i shifted = _mm256_sra_epi32(sum, shift);
            __m128i low = _mm256_castsi256_si128(shifted);
            __m128i high = _mm256_extracti128_si256(shifted, 1);
            __m128i packed = _mm_packus_epi16(_mm_packs_epi32(low, high), _mm_setzero_si128());
            int64_t result = _mm_cvtsi128_si64(packed);
            uint8_t *destination = output_row + x * 3;
            destination[0] = (uint8_t)result;
            destination[1] = (uint8_t)(result >> 8);
            destination[2] = (uint8_t)(result >> 16);
            destination[3] = (uint8_t)(result >> 32);
            destination[4] = (uint8_t)(result >> 40);
            destination[5] = (uint8_t)(result >> 48);
            x += 2;
        }
    }
}

/// The vertical pass with clang's vectoriser free to use AVX2 (eight 32-bit sums per instruction).
__attribute__((target("avx2")))
static void columns_avx2(const uint8_t *source, ptrdiff_t row_stride, int first_row, int row_bytes,
                         const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                         int output_rows, uint8_t *output, int precision_bits) {
    const int32_t half = 1 << (precision_bits - 1);
    int32_t sums[4096];
    for (int start = 0; start < row_bytes; start += 4096) {
        int width = row_bytes - start < 4096 ? row_bytes - start : 4096;
        for (int y = 0; y < output_rows; y++) {
            const int32_t *kernel = weights + (ptrdiff_t)y * taps;
            const uint8_t *base = source + (first[y] - first_row) * row_stride + start;
            for (int index = 0; index < width; index++) sums[index] = half;
            for (int64_t tap = 0; tap < count[y]; tap++) {
                const uint8_t *line = base + tap * row_stride;
                const int32_t weight = kernel[tap];
                for (int index = 0; index < width; index++) sums[index] += (int32_t)line[index] * weight;
            }
            uint8_t *destination = output + (ptrdiff_t)y * row_bytes + start;
            for (int index = 0; index < width; index++) {
                int32_t value = sums[index] >> precision_bits;
                destination[index] = (uint8_t)(value < 0 ? 0 : (value > 255 ? 255 : value));
            }
        }
    }
}
#endif

void hone_resample_rows(const uint8_t *source, ptrdiff_t row_stride, const uint8_t *source_end, int rows,
                        int channels, const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                        int output_width, uint8_t *output, int precision_bits) {
#if defined(__x86_64__)
    if (simd_enabled && channels == 3 && __builtin_cpu_supports("avx2")) {
        rows_rgb_avx2(source, row_stride, source_end, rows, channels, weights, taps, first, count, output_width,
                      output, precision_bits);
        return;
    }
    if (simd_enabled && channels == 3 && __builtin_cpu_supports("sse4.1")) {
        rows_rgb_sse41(source, row_stride, source_end, rows, channels, weights, taps, first, count, output_width,
                       output, precision_bits);
        return;
    }
#endif
    rows_scalar(source, row_stride, source_end, rows, channels, weights, taps, first, count, output_width, output,
                precision_bits);
}

void hone_resample_columns(const uint8_t *source, ptrdiff_t row_stride, int first_row, int row_bytes,
                           const int32_t *weights, int taps, const int64_t *first, const int64_t *count,
                           int output_rows, uint8_t *output, int precision_bits) {
#if defined(__x86_64__)
    if (simd_enabled && __builtin_cpu_supports("avx2")) {
        columns_avx2(source, row_stride, first_row, row_bytes, weights, taps, first, count, output_rows, output,
                     precision_bits);
        return;
    }
#endif
    columns_scalar(source, row_stride, first_row, row_bytes, weights, taps, first, count, output_rows, output,
                   precision_bits);
}
