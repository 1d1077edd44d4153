// Direct 3x3 stride-1 convolutions of few-channel images into nChw8c, AVX2 + FMA (see narrow_convolution.h).
//
// Work is split by (image, output row). For each row the three input rows it reads are copied,
// per channel, into a zero-padded buffer, so the inner loops have no edge tests. The forward
// keeps a run of eight output pixels in registers (eight independent FMA chains), each holding
// eight filters; the weight gradient keeps the nine taps' sums for eight filters in registers
// while it walks a row, and each thread adds into its own partial sums.

#include "narrow_convolution.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// libgomp's entry points (GCC's omp.h is not on Swift clang's include path).
extern void GOMP_parallel(void (*function)(void *), void *data, unsigned threads, unsigned flags);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);

#define HONE_AVX2 __attribute__((target("avx2,fma")))

// Filters per vector (nChw8c's block) and output pixels per register run.
enum { lanes = 8, run = 8 };

int hone_narrow_convolution_is_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

typedef struct {
    const float *input, *packed, *bias, *output_gradient;
    float *output;
    float **partials;
    int relu, batch, channels, height, width, filters;
} narrow_job;

// Floats per padded row: a zero on the left, the row, and room for a run past the right edge.
static int padded_stride(int width) { return width + 2 + run; }

// rows[(c * 3 + r) * stride + 1 + x] = image[c][y - 1 + r][x], zero outside the image.
static void pad_rows(const float *image, int channels, int height, int width, int y, float *rows) {
    int stride = padded_stride(width);
    for (int c = 0; c < channels; c++) {
        for (int r = 0; r < 3; r++) {
            float *row = rows + (size_t)(c * 3 + r) * stride;
            int source = y - 1 + r;
            memset(row, 0, sizeof(float) * stride);
            if (source >= 0 && source < height) {
                memcpy(row + 1, image + ((size_t)c * height + source) * width, sizeof(float) * width);
            }
        }
    }
}

// This thread's contiguous share of the batch x height (image, row) items.
static void share(const narrow_job *job, size_t *first, size_t *last) {
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    size_t items = (size_t)job->batch * job->height;
    *first = items * thread / threads;
    *last = items * (thread + 1) / threads;
}

HONE_AVX2 static void forward_worker(void *argument) {
    const narrow_job *job = argument;
    int channels = job->channels, height = job->height, width = job->width, blocks = job->filters / lanes;
    int stride = padded_stride(width);
    float *rows = malloc(sizeof(float) * 3 * channels * stride);
    size_t first, last;
    share(job, &first, &last);
    for (size_t item = first; item < last; item++) {
        int image = (int)(item / height), y = (int)(item % height);
        pad_rows(job->input + (size_t)image * channels * height * width, channels, height, width, y, rows);
        for (int block = 0; block < blocks; block++) {
            const float *taps = job->packed + (size_t)block * channels * 9 * lanes;
            __m256 bias = job->bias ? _mm256_loadu_ps(job->bias + block * lanes) : _mm256_setzero_ps();
            float *out = job->output + (((size_t)image * blocks + block) * height + y) * width * lanes;
            for (int x = 0; x < width; x += run) {
                __m256 sum[run];
                for (int j = 0; j < run; j++) sum[j] = bias;
                for (int c = 0; c < channels; c++) {
                    for (int r = 0; r < 3; r++) {
                        const float *row = rows + (size_t)(c * 3 + r) * stride + x;
                        for (int s = 0; s < 3; s++) {
                            __m256 tap = _mm256_loadu_ps(taps + ((c * 3 + r) * 3 + s) * lanes);
                            for (int j = 0; j < run; j++) {
                                sum[j] = _mm256_fmadd_ps(_mm256_broadcast_ss(row + j + s), tap, sum[j]);
                            }
                        }
                    }
                }
                int count = width - x < run ? width - x : run;
                for (int j = 0; j < count; j++) {
                    __m256 pixel = job->relu ? _mm256_max_ps(sum[j], _mm256_setzero_ps()) : sum[j];
                    _mm256_storeu_ps(out + (size_t)(x + j) * lanes, pixel);
                }
            }
        }
    }
    free(rows);
}

void hone_narrow_convolution_forward(const float *input, const float *weights, const float *bias, int relu,
                                     float *output, int batch, int channels, int height, int width, int filters) {
    // packed[block][c][tap][lane] = weights[block * 8 + lane][c][tap]: one vector per tap.
    float *packed = malloc(sizeof(float) * (size_t)filters * channels * 9);
    for (int k = 0; k < filters; k++) {
        for (int c = 0; c < channels; c++) {
            for (int tap = 0; tap < 9; tap++) {
                packed[(((size_t)(k / lanes) * channels + c) * 9 + tap) * lanes + k % lanes] =
                    weights[((size_t)k * channels + c) * 9 + tap];
            }
        }
    }
    narrow_job job = {input, packed, bias, NULL, output, NULL, relu, batch, channels, height, width, filters};
    GOMP_parallel(forward_worker, &job, 0, 0);
    free(packed);
}

HONE_AVX2 static void weight_gradient_worker(void *argument) {
    const narrow_job *job = argument;
    int channels = job->channels, height = job->height, width = job->width, blocks = job->filters / lanes;
    int stride = padded_stride(width);
    size_t count = (size_t)job->filters * channels * 9;
    float *sums = malloc(sizeof(float) * count);
    memset(sums, 0, sizeof(float) * count);
    job->partials[omp_get_thread_num()] = sums;
    float *rows = malloc(sizeof(float) * 3 * channels * stride);
    size_t first, last;
    share(job, &first, &last);
    for (size_t item = first; item < last; item++) {
        int image = (int)(item / height), y = (int)(item % height);
        pad_rows(job->input + (size_t)image * channels * height * width, channels, height, width, y, rows);
        for (int block = 0; block < blocks; block++) {
            const float *gradient = job->output_gradient + (((size_t)image * blocks + block) * height + y) * width * lanes;
            for (int c = 0; c < channels; c++) {
                const float *row = rows + (size_t)c * 3 * stride;
                __m256 tap[9];
                for (int t = 0; t < 9; t++) tap[t] = _mm256_setzero_ps();
                for (int x = 0; x < width; x++) {
                    __m256 g = _mm256_loadu_ps(gradient + (size_t)x * lanes);
                    for (int r = 0; r < 3; r++) {
                        for (int s = 0; s < 3; s++) {
                            tap[r * 3 + s] = _mm256_fmadd_ps(_mm256_broadcast_ss(row + (size_t)r * stride + x + s), g,
                                                             tap[r * 3 + s]);
                        }
                    }
                }
                float *out = sums + ((size_t)block * channels + c) * 9 * lanes;
                for (int t = 0; t < 9; t++) {
                    _mm256_storeu_ps(out + t * lanes, _mm256_add_ps(_mm256_loadu_ps(out + t * lanes), tap[t]));
                }
            }
        }
    }
    free(rows);
}

// The thread count GOMP_parallel(…, 0, 0) will use.
static void count_threads(void *argument) {
    if (omp_get_thread_num() == 0) *(int *)argument = omp_get_num_threads();
}

void hone_narrow_convolution_weight_gradient(const float *input, const float *output_gradient,
                                             float *weight_gradient, int batch, int channels, int height,
                                             int width, int filters) {
    int threads = 1;
    GOMP_parallel(count_threads, &threads, 0, 0);
    float *partials[threads];
    for (int t = 0; t < threads; t++) partials[t] = NULL;
    narrow_job job = {input, NULL, NULL, output_gradient, NULL, partials, 0, batch, channels, height, width, filters};
    GOMP_parallel(weight_gradient_worker, &job, (unsigned)threads, 0);
    // The threads that ran (libgomp may start fewer than asked) are 0, 1, ...: each left its sums,
    // laid out [block][c][tap][lane].
    for (int k = 0; k < filters; k++) {
        for (int c = 0; c < channels; c++) {
            for (int tap = 0; tap < 9; tap++) {
                size_t at = (((size_t)(k / lanes) * channels + c) * 9 + tap) * lanes + k % lanes;
                float sum = 0;
                for (int t = 0; t < threads && partials[t]; t++) sum += partials[t][at];
                weight_gradient[((size_t)k * channels + c) * 9 + tap] = sum;
            }
        }
    }
    for (int t = 0; t < threads; t++) free(partials[t]);
}
