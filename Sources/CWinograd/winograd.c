// Winograd F(2x2, 3x3) convolution kernels on nChw8c f32 tensors, AVX2 + FMA (see winograd.h).
//
// Each output tile of 2x2 pixels reads a 4x4 input patch. Per tile and channel:
//   V = B^T d B (input transform), U = G g G^T (weight transform),
//   M[p] = sum over c of V[p][c] U[p][c][k] for each of the 16 positions p (16 small matrix products),
//   Y = A^T M A (output transform),
// with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
// A^T = [1 1 1 0; 0 1 -1 -1]. The weight gradient is G^T (sum over tiles of V ⊙ (A dY A^T)) G.
// Tiles are processed in blocks small enough that a block's transformed inputs and products
// stay in the core's L2 cache between the transform, the products and the inverse transform.

#include "winograd.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// libgomp's entry points (GCC's omp.h is not on Swift clang's include path).
extern void GOMP_parallel(void (*function)(void *), void *data, unsigned threads, unsigned flags);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);

#define HONE_AVX2 __attribute__((target("avx2,fma")))
#define HONE_INLINE static inline __attribute__((always_inline))

enum { positions = 16, rows_per_kernel = 6 };
#ifndef FORWARD_BUDGET
#define FORWARD_BUDGET (256 * 1024)
#endif
#ifndef GRADIENT_BUDGET
#define GRADIENT_BUDGET (256 * 1024)
#endif

int hone_winograd_is_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

size_t hone_winograd_weight_count(int channels, int filters) {
    return (size_t)positions * (size_t)channels * (size_t)filters;
}

typedef struct {
    const float *weights;
    float *transformed;
    int filters, channels, backward;
} weight_transform_job;

// U = G g G^T for a share of the output channels (each thread every threads-th one).
static void transform_weights_worker(void *argument) {
    const weight_transform_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int channels = job->channels, backward = job->backward;
    int outputs = backward ? job->channels : job->filters;
    int inputs = backward ? job->filters : job->channels;
    for (int o = thread; o < outputs; o += threads) {
        for (int i = 0; i < inputs; i++) {
            float g[3][3];
            for (int r = 0; r < 3; r++) {
                for (int s = 0; s < 3; s++) {
                    g[r][s] = backward ? job->weights[((size_t)i * channels + o) * 9 + (2 - r) * 3 + (2 - s)]
                                       : job->weights[((size_t)o * channels + i) * 9 + r * 3 + s];
                }
            }
            float t[4][3];
            for (int s = 0; s < 3; s++) {
                t[0][s] = g[0][s];
                t[1][s] = 0.5f * (g[0][s] + g[1][s] + g[2][s]);
                t[2][s] = 0.5f * (g[0][s] - g[1][s] + g[2][s]);
                t[3][s] = g[2][s];
            }
            for (int a = 0; a < 4; a++) {
                float u[4] = {t[a][0], 0.5f * (t[a][0] + t[a][1] + t[a][2]), 0.5f * (t[a][0] - t[a][1] + t[a][2]),
                              t[a][2]};
                for (int b = 0; b < 4; b++) {
                    size_t p = (size_t)(4 * a + b);
                    job->transformed[((p * (outputs / 16) + o / 16) * inputs + i) * 16 + o % 16] = u[b];
                }
            }
        }
    }
}

void hone_winograd_transform_weights(const float *weights, int filters, int channels, int backward,
                                     float *transformed) {
    weight_transform_job job = {weights, transformed, filters, channels, backward};
    GOMP_parallel(transform_weights_worker, &job, 0, 0);
}

// Where a tile lies: image, tile row and tile column.
typedef struct {
    int image, row, column;
} tile_place;

HONE_INLINE tile_place place_of(int tile, int tile_rows, int tile_columns) {
    int per_image = tile_rows * tile_columns;
    int within = tile % per_image;
    return (tile_place){tile / per_image, within / tile_columns, within % tile_columns};
}

// V = B^T d B for one tile and every channel block, into v[slot][p][C].
HONE_AVX2 static void transform_input_tile(const float *input, int channels, int height, int width, tile_place place,
                                           float *v, size_t slot_stride, int slot) {
    int top = 2 * place.row - 1, left = 2 * place.column - 1;
    for (int cb = 0; cb < channels / 8; cb++) {
        const float *plane = input + (((size_t)place.image * (channels / 8) + cb) * height) * width * 8;
        __m256 d[4][4];
        for (int a = 0; a < 4; a++) {
            int y = top + a;
            for (int b = 0; b < 4; b++) {
                int x = left + b;
                d[a][b] = (y >= 0 && y < height && x >= 0 && x < width)
                              ? _mm256_loadu_ps(plane + ((size_t)y * width + x) * 8)
                              : _mm256_setzero_ps();
            }
        }
        __m256 s[4][4];
        for (int b = 0; b < 4; b++) {
            s[0][b] = _mm256_sub_ps(d[0][b], d[2][b]);
            s[1][b] = _mm256_add_ps(d[1][b], d[2][b]);
            s[2][b] = _mm256_sub_ps(d[2][b], d[1][b]);
            s[3][b] = _mm256_sub_ps(d[1][b], d[3][b]);
        }
        for (int a = 0; a < 4; a++) {
            __m256 row[4] = {_mm256_sub_ps(s[a][0], s[a][2]), _mm256_add_ps(s[a][1], s[a][2]),
                             _mm256_sub_ps(s[a][2], s[a][1]), _mm256_sub_ps(s[a][1], s[a][3])};
            for (int b = 0; b < 4; b++) {
                _mm256_storeu_ps(v + slot * slot_stride + (size_t)(4 * a + b) * channels + cb * 8, row[b]);
            }
        }
    }
}

// Y = A^T M A for one tile and every filter block, from m[slot][p][K] into the nChw8c output, then the epilogue.
HONE_AVX2 static void transform_output_tile(const float *m, int filters, int height, int width, tile_place place,
                                            size_t slot_stride, int slot, const hone_winograd_epilogue *epilogue,
                                            float *output) {
    int top = 2 * place.row, left = 2 * place.column;
    for (int kb = 0; kb < filters / 8; kb++) {
        __m256 x[4][4];
        for (int p = 0; p < positions; p++) {
            x[p / 4][p % 4] = _mm256_loadu_ps(m + slot * slot_stride + (size_t)p * filters + kb * 8);
        }
        __m256 t[2][4];
        for (int b = 0; b < 4; b++) {
            t[0][b] = _mm256_add_ps(_mm256_add_ps(x[0][b], x[1][b]), x[2][b]);
            t[1][b] = _mm256_sub_ps(_mm256_sub_ps(x[1][b], x[2][b]), x[3][b]);
        }
        size_t plane_offset = (((size_t)place.image * (filters / 8) + kb) * height) * width * 8;
        float *plane = output + plane_offset;
        for (int a = 0; a < 2; a++) {
            int y = top + a;
            if (y >= height) continue;
            __m256 pixel[2] = {_mm256_add_ps(_mm256_add_ps(t[a][0], t[a][1]), t[a][2]),
                               _mm256_sub_ps(_mm256_sub_ps(t[a][1], t[a][2]), t[a][3])};
            for (int b = 0; b < 2; b++) {
                if (left + b >= width) continue;
                size_t at = ((size_t)y * width + left + b) * 8;
                if (epilogue) {
                    if (epilogue->bias) pixel[b] = _mm256_add_ps(pixel[b], _mm256_loadu_ps(epilogue->bias + kb * 8));
                    if (epilogue->residual) {
                        pixel[b] = _mm256_add_ps(pixel[b], _mm256_loadu_ps(epilogue->residual + plane_offset + at));
                    }
                    if (epilogue->relu) pixel[b] = _mm256_max_ps(pixel[b], _mm256_setzero_ps());
                }
                _mm256_storeu_ps(plane + at, pixel[b]);
            }
        }
    }
}

// A dY A^T for one tile of the output gradient and every filter block, into m[slot][p][K].
HONE_AVX2 static void transform_output_gradient_tile(const float *gradient, int filters, int height, int width,
                                                     tile_place place, size_t slot_stride, int slot, float *m) {
    int top = 2 * place.row, left = 2 * place.column;
    for (int kb = 0; kb < filters / 8; kb++) {
        const float *plane = gradient + (((size_t)place.image * (filters / 8) + kb) * height) * width * 8;
        __m256 g[2][2];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int y = top + a, x = left + b;
                g[a][b] = (y < height && x < width) ? _mm256_loadu_ps(plane + ((size_t)y * width + x) * 8)
                                                    : _mm256_setzero_ps();
            }
        }
        __m256 zero = _mm256_setzero_ps();
        __m256 r[4][2];
        for (int b = 0; b < 2; b++) {
            r[0][b] = g[0][b];
            r[1][b] = _mm256_add_ps(g[0][b], g[1][b]);
            r[2][b] = _mm256_sub_ps(g[0][b], g[1][b]);
            r[3][b] = _mm256_sub_ps(zero, g[1][b]);
        }
        for (int a = 0; a < 4; a++) {
            __m256 row[4] = {r[a][0], _mm256_add_ps(r[a][0], r[a][1]), _mm256_sub_ps(r[a][0], r[a][1]),
                             _mm256_sub_ps(zero, r[a][1])};
            for (int b = 0; b < 4; b++) {
                _mm256_storeu_ps(m + slot * slot_stride + (size_t)(4 * a + b) * filters + kb * 8, row[b]);
            }
        }
    }
}

// c[r][0..16) (+)= sum over d < depth of a[r * a_row + d * a_depth] * b[d * b_depth + 0..16), for r < ROWS.
HONE_INLINE HONE_AVX2 void multiply_panel(const int rows, int depth, const float *a, size_t a_row, size_t a_depth,
                                          const float *b, size_t b_depth, float *c, size_t c_row, int accumulate) {
    __m256 sum[rows_per_kernel][2];
    for (int r = 0; r < rows; r++) {
        sum[r][0] = _mm256_setzero_ps();
        sum[r][1] = _mm256_setzero_ps();
    }
    for (int d = 0; d < depth; d++) {
        __m256 low = _mm256_loadu_ps(b + (size_t)d * b_depth);
        __m256 high = _mm256_loadu_ps(b + (size_t)d * b_depth + 8);
        for (int r = 0; r < rows; r++) {
            __m256 scalar = _mm256_broadcast_ss(a + (size_t)r * a_row + (size_t)d * a_depth);
            sum[r][0] = _mm256_fmadd_ps(scalar, low, sum[r][0]);
            sum[r][1] = _mm256_fmadd_ps(scalar, high, sum[r][1]);
        }
    }
    for (int r = 0; r < rows; r++) {
        float *out = c + (size_t)r * c_row;
        if (accumulate) {
            sum[r][0] = _mm256_add_ps(sum[r][0], _mm256_loadu_ps(out));
            sum[r][1] = _mm256_add_ps(sum[r][1], _mm256_loadu_ps(out + 8));
        }
        _mm256_storeu_ps(out, sum[r][0]);
        _mm256_storeu_ps(out + 8, sum[r][1]);
    }
}

// multiply_panel with the row count as a constant, so the sums stay in registers.
HONE_AVX2 static void multiply_rows(int rows, int depth, const float *a, size_t a_row, size_t a_depth, const float *b,
                                    size_t b_depth, float *c, size_t c_row, int accumulate) {
    switch (rows) {
    case 6: multiply_panel(6, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    case 5: multiply_panel(5, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    case 4: multiply_panel(4, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    case 3: multiply_panel(3, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    case 2: multiply_panel(2, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    default: multiply_panel(1, depth, a, a_row, a_depth, b, b_depth, c, c_row, accumulate); break;
    }
}

// Tiles per block: whole kernels of six rows whose V and M together take about `budget` bytes.
static int tiles_per_block(int channels, int filters, int budget) {
    int tiles = budget / (positions * 4 * (channels + filters));
    tiles -= tiles % rows_per_kernel;
    if (tiles < rows_per_kernel) tiles = rows_per_kernel;
    if (tiles > 16 * rows_per_kernel) tiles = 16 * rows_per_kernel;
    return tiles;
}

// Floats from one tile's 16 x `width` values to the next: 64 bytes more than they take, so that
// the kernels' walks across tiles do not hit one L1 cache set (4 KiB aliasing) at every step.
static size_t slot_stride(int width) { return (size_t)positions * width + 16; }

typedef struct {
    const float *input, *weights, *output_gradient;
    const hone_winograd_epilogue *epilogue;
    float *output;
    float **partial_gradients;
    int batch, channels, height, width, filters;
    int tile_rows, tile_columns, tiles, block, parts;
} winograd_job;

static winograd_job make_job(int batch, int channels, int height, int width, int filters, int budget) {
    winograd_job job = {0};
    job.batch = batch;
    job.channels = channels;
    job.height = height;
    job.width = width;
    job.filters = filters;
    job.tile_rows = (height + 1) / 2;
    job.tile_columns = (width + 1) / 2;
    job.tiles = batch * job.tile_rows * job.tile_columns;
    job.block = tiles_per_block(channels, filters, budget);
    return job;
}

static float *scratch(size_t floats) {
    return aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
}

HONE_AVX2 static void forward_worker(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int block = job->block, channels = job->channels, filters = job->filters;
    size_t v_stride = slot_stride(channels), m_stride = slot_stride(filters);
    float *v = scratch(block * v_stride);
    float *m = scratch(block * m_stride);
    int blocks = (job->tiles + block - 1) / block;
    for (int index = thread; index < blocks; index += threads) {
        int first = index * block;
        int count = job->tiles - first < block ? job->tiles - first : block;
        int padded = (count + rows_per_kernel - 1) / rows_per_kernel * rows_per_kernel;
        for (int slot = 0; slot < count; slot++) {
            tile_place place = place_of(first + slot, job->tile_rows, job->tile_columns);
            transform_input_tile(job->input, channels, job->height, job->width, place, v, v_stride, slot);
        }
        memset(v + count * v_stride, 0, sizeof(float) * (padded - count) * v_stride);
        for (int p = 0; p < positions; p++) {
            for (int kb = 0; kb < filters / 16; kb++) {
                const float *panel = job->weights + ((size_t)p * (filters / 16) + kb) * channels * 16;
                for (int row = 0; row < padded; row += rows_per_kernel) {
                    multiply_panel(rows_per_kernel, channels, v + row * v_stride + (size_t)p * channels, v_stride, 1,
                                   panel, 16, m + row * m_stride + (size_t)p * filters + kb * 16, m_stride, 0);
                }
            }
        }
        for (int slot = 0; slot < count; slot++) {
            tile_place place = place_of(first + slot, job->tile_rows, job->tile_columns);
            transform_output_tile(m, filters, job->height, job->width, place, m_stride, slot, job->epilogue,
                                  job->output);
        }
    }
    free(v);
    free(m);
}

void hone_winograd_forward(const float *input, const float *transformed, float *output, int batch, int channels,
                           int height, int width, int filters, const hone_winograd_epilogue *epilogue) {
    winograd_job job = make_job(batch, channels, height, width, filters, FORWARD_BUDGET);
    job.input = input;
    job.weights = transformed;
    job.epilogue = epilogue;
    job.output = output;
    GOMP_parallel(forward_worker, &job, 0, 0);
}

HONE_AVX2 static void weight_gradient_worker(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int block = job->block, channels = job->channels, filters = job->filters;
    size_t v_stride = slot_stride(channels), m_stride = slot_stride(filters);
    float *v = scratch(block * v_stride);
    float *m = scratch(block * m_stride);
    float *sums = job->partial_gradients[thread];
    int blocks = (job->tiles + block - 1) / block;
    for (int index = thread; index < blocks; index += threads) {
        int first = index * block;
        int count = job->tiles - first < block ? job->tiles - first : block;
        for (int slot = 0; slot < count; slot++) {
            tile_place place = place_of(first + slot, job->tile_rows, job->tile_columns);
            transform_input_tile(job->input, channels, job->height, job->width, place, v, v_stride, slot);
            transform_output_gradient_tile(job->output_gradient, filters, job->height, job->width, place, m_stride,
                                           slot, m);
        }
        for (int p = 0; p < positions; p++) {
            const float *vp = v + (size_t)p * channels;
            const float *mp = m + (size_t)p * filters;
            float *sp = sums + (size_t)p * channels * filters;
            for (int c = 0; c < channels; c += rows_per_kernel) {
                int rows = channels - c < rows_per_kernel ? channels - c : rows_per_kernel;
                for (int kb = 0; kb < filters / 16; kb++) {
                    multiply_rows(rows, count, vp + c, 1, v_stride, mp + kb * 16, m_stride,
                                  sp + (size_t)c * filters + kb * 16, filters, 1);
                }
            }
        }
    }
    free(v);
    free(m);
}

// Sums the threads' partial U-space gradients and applies G^T . G for a share of the filters.
static void weight_gradient_finisher(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int channels = job->channels, filters = job->filters, parts = job->parts;
    float *gradient = (float *)job->output;
    for (int k = thread; k < filters; k += threads) {
        for (int c = 0; c < channels; c++) {
            float u[4][4];
            for (int p = 0; p < positions; p++) {
                float sum = 0;
                for (int part = 0; part < parts; part++) {
                    sum += job->partial_gradients[part][((size_t)p * channels + c) * filters + k];
                }
                u[p / 4][p % 4] = sum;
            }
            float s[3][4];
            for (int b = 0; b < 4; b++) {
                s[0][b] = u[0][b] + 0.5f * (u[1][b] + u[2][b]);
                s[1][b] = 0.5f * (u[1][b] - u[2][b]);
                s[2][b] = 0.5f * (u[1][b] + u[2][b]) + u[3][b];
            }
            float *out = gradient + ((size_t)k * channels + c) * 9;
            for (int a = 0; a < 3; a++) {
                out[a * 3 + 0] = s[a][0] + 0.5f * (s[a][1] + s[a][2]);
                out[a * 3 + 1] = 0.5f * (s[a][1] - s[a][2]);
                out[a * 3 + 2] = 0.5f * (s[a][1] + s[a][2]) + s[a][3];
            }
        }
    }
}

// The thread count GOMP_parallel(…, 0, 0) will use.
static void count_threads(void *argument) {
    if (omp_get_thread_num() == 0) *(int *)argument = omp_get_num_threads();
}

void hone_winograd_weight_gradient(const float *input, const float *output_gradient, float *weight_gradient,
                                   int batch, int channels, int height, int width, int filters) {
    int threads = 1;
    GOMP_parallel(count_threads, &threads, 0, 0);
    size_t count = hone_winograd_weight_count(channels, filters);
    float *partials[threads];
    for (int t = 0; t < threads; t++) {
        partials[t] = scratch(count);
        memset(partials[t], 0, sizeof(float) * count);
    }
    winograd_job job = make_job(batch, channels, height, width, filters, GRADIENT_BUDGET);
    job.parts = threads;
    job.input = input;
    job.output_gradient = output_gradient;
    job.partial_gradients = partials;
    GOMP_parallel(weight_gradient_worker, &job, (unsigned)threads, 0);
    job.output = weight_gradient;
    GOMP_parallel(weight_gradient_finisher, &job, (unsigned)threads, 0);
    for (int t = 0; t < threads; t++) free(partials[t]);
}
