// Winograd F(m x m, 3x3) convolution kernels, m = 2 or 4, on nChw8c f32 tensors, AVX2 + FMA (see winograd.h).
//
// Each output tile of m x m pixels reads an n x n input patch, n = m + 2. Per tile and channel:
//   V = B^T d B (input transform), U = G g G^T (weight transform),
//   M[p] = sum over c of V[p][c] U[p][c][k] for each of the n² positions p (n² small matrix products),
//   Y = A^T M A (output transform),
// with the matrices of Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks" (2016)
// (tables below). The weight gradient is G^T (sum over tiles of V ⊙ (A dY A^T)) G.
// F(2,3) does 16 products per 4 outputs, F(4,3) 36 per 16 (9 per output for a direct convolution);
// F(4,3)'s larger coefficients cost some rounding, still far below f32 tolerances.
// Tiles are processed in blocks small enough that a block's transformed inputs and products
// stay in the core's L2 cache between the transform, the products and the inverse transform.
// The transforms are written once over constant tables: with the loops unrolled, terms with a
// coefficient of 0 vanish and ±1 become adds, so they compile to the hand-derived formulas.

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
#define HONE_UNROLL _Pragma("clang loop unroll(full)")

enum { rows_per_kernel = 6, block_budget = 256 * 1024 };

// F(2,3): B^T 4x4, G 4x3, A^T 2x4 and A 4x2.
static const float input_matrix_2[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
static const float weight_matrix_2[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
static const float output_matrix_2[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
static const float gradient_matrix_2[4][2] = {{1, 0}, {1, 1}, {1, -1}, {0, -1}};

// F(4,3): B^T 6x6, G 6x3, A^T 4x6 and A 6x4.
static const float input_matrix_4[6][6] = {
    {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
    {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1},
};
static const float weight_matrix_4[6][3] = {
    {1.0f / 4, 0, 0}, {-1.0f / 6, -1.0f / 6, -1.0f / 6}, {-1.0f / 6, 1.0f / 6, -1.0f / 6},
    {1.0f / 24, 1.0f / 12, 1.0f / 6}, {1.0f / 24, -1.0f / 12, 1.0f / 6}, {0, 0, 1},
};
static const float output_matrix_4[4][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0},
                                            {0, 1, -1, 8, -8, 1}};
static const float gradient_matrix_4[6][4] = {{1, 0, 0, 0}, {1, 1, 1, 1}, {1, -1, 1, -1},
                                              {1, 2, 4, 8},  {1, -2, 4, -8}, {0, 0, 0, 1}};

int hone_winograd_is_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int positions_of(int tile) { return (tile + 2) * (tile + 2); }

size_t hone_winograd_weight_count(int tile, int channels, int filters) {
    return (size_t)positions_of(tile) * (size_t)channels * (size_t)filters;
}

// out[r * out_step] = sum over c of table(r, c) * in[c * in_step], for a constant table read as
// table[r][c] (rows x columns) or, when transposed, table[c][r] (a columns x rows table, for G^T).
HONE_INLINE HONE_AVX2 void combine_table(const int rows, const int columns, const float *table, const int transposed,
                                         const __m256 *in, const int in_step, __m256 *out, const int out_step) {
    HONE_UNROLL
    for (int r = 0; r < rows; r++) {
        __m256 sum = _mm256_set1_ps(-0.0f);
        HONE_UNROLL
        for (int c = 0; c < columns; c++) {
            float k = transposed ? table[c * rows + r] : table[r * columns + c];
            if (k == 0.0f) continue;
            if (k == 1.0f) {
                sum = _mm256_add_ps(sum, in[c * in_step]);
            } else if (k == -1.0f) {
                sum = _mm256_sub_ps(sum, in[c * in_step]);
            } else {
                sum = _mm256_fmadd_ps(_mm256_set1_ps(k), in[c * in_step], sum);
            }
        }
        out[r * out_step] = sum;
    }
}

HONE_INLINE HONE_AVX2 void combine(const int rows, const int columns, const float *table, const __m256 *in,
                                   const int in_step, __m256 *out, const int out_step) {
    combine_table(rows, columns, table, 0, in, in_step, out, out_step);
}

HONE_INLINE HONE_AVX2 void combine_transposed(const int rows, const int columns, const float *table, const __m256 *in,
                                              const int in_step, __m256 *out, const int out_step) {
    combine_table(rows, columns, table, 1, in, in_step, out, out_step);
}

typedef struct {
    const float *weights;
    float *transformed;
    int tile, filters, channels, backward;
} weight_transform_job;

// U = G g G^T for sixteen output channels (two vectors of eight) and one input channel:
// g [9][16] (3x3 taps x output channel), U stored at out + p * position_stride, 16 floats per position.
HONE_INLINE HONE_AVX2 void transform_weight_block_of(const int m, const float *matrix, const float *g, float *out,
                                                     size_t position_stride) {
    enum { most = 6 };
    const int n = m + 2;
    HONE_UNROLL
    for (int half = 0; half < 2; half++) {
        __m256 d[9], t[most * 3], u[most * most];
        HONE_UNROLL
        for (int q = 0; q < 9; q++) d[q] = _mm256_loadu_ps(g + q * 16 + half * 8);
        HONE_UNROLL
        for (int s = 0; s < 3; s++) combine(n, 3, matrix, d + s, 3, t + s, 3);
        HONE_UNROLL
        for (int a = 0; a < n; a++) combine(n, 3, matrix, t + a * 3, 1, u + a * n, 1);
        HONE_UNROLL
        for (int p = 0; p < n * n; p++) _mm256_storeu_ps(out + (size_t)p * position_stride + half * 8, u[p]);
    }
}

// U = G g G^T for a contiguous share of the (16 output channels, input channel) pairs: the taps of
// sixteen filters are gathered into one [9][16] block, then transformed as vectors.
HONE_AVX2 static void transform_weights_worker(void *argument) {
    const weight_transform_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int channels = job->channels, backward = job->backward;
    int outputs = backward ? job->channels : job->filters;
    int inputs = backward ? job->filters : job->channels;
    size_t pairs = (size_t)(outputs / 16) * inputs;
    size_t first = pairs * thread / threads, last = pairs * (thread + 1) / threads;
    size_t position_stride = (size_t)outputs * inputs;
    for (size_t pair = first; pair < last; pair++) {
        int block = (int)(pair / inputs), i = (int)(pair % inputs);
        float g[9 * 16] __attribute__((aligned(32)));
        for (int lane = 0; lane < 16; lane++) {
            int o = block * 16 + lane;
            if (backward) {
                const float *taps = job->weights + ((size_t)i * channels + o) * 9;
                for (int q = 0; q < 9; q++) g[q * 16 + lane] = taps[8 - q];
            } else {
                const float *taps = job->weights + ((size_t)o * channels + i) * 9;
                for (int q = 0; q < 9; q++) g[q * 16 + lane] = taps[q];
            }
        }
        float *out = job->transformed + ((size_t)block * inputs + i) * 16;
        if (job->tile == 4) {
            transform_weight_block_of(4, &weight_matrix_4[0][0], g, out, position_stride);
        } else {
            transform_weight_block_of(2, &weight_matrix_2[0][0], g, out, position_stride);
        }
    }
}

void hone_winograd_transform_weights(int tile, const float *weights, int filters, int channels, int backward,
                                     float *transformed) {
    weight_transform_job job = {weights, transformed, tile, filters, channels, backward};
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
HONE_INLINE HONE_AVX2 void transform_input_tile_of(const int m, const float *matrix, const float *input, int channels,
                                                   int height, int width, tile_place place, float *v) {
    enum { most = 6 };
    const int n = m + 2;
    int top = m * place.row - 1, left = m * place.column - 1;
    int inside = top >= 0 && left >= 0 && top + n <= height && left + n <= width;
    for (int cb = 0; cb < channels / 8; cb++) {
        const float *plane = input + (((size_t)place.image * (channels / 8) + cb) * height) * width * 8;
        __m256 d[most * most], s[most * most], w[most * most];
        if (inside) {
            const float *corner = plane + ((size_t)top * width + left) * 8;
            HONE_UNROLL
            for (int a = 0; a < n; a++) {
                HONE_UNROLL
                for (int b = 0; b < n; b++) d[a * n + b] = _mm256_loadu_ps(corner + ((size_t)a * width + b) * 8);
            }
        } else {
            HONE_UNROLL
            for (int a = 0; a < n; a++) {
                int y = top + a;
                HONE_UNROLL
                for (int b = 0; b < n; b++) {
                    int x = left + b;
                    d[a * n + b] = (y >= 0 && y < height && x >= 0 && x < width)
                                       ? _mm256_loadu_ps(plane + ((size_t)y * width + x) * 8)
                                       : _mm256_setzero_ps();
                }
            }
        }
        HONE_UNROLL
        for (int b = 0; b < n; b++) combine(n, n, matrix, d + b, n, s + b, n);
        HONE_UNROLL
        for (int a = 0; a < n; a++) combine(n, n, matrix, s + a * n, 1, w + a * n, 1);
        HONE_UNROLL
        for (int p = 0; p < n * n; p++) _mm256_storeu_ps(v + (size_t)p * channels + cb * 8, w[p]);
    }
}

HONE_AVX2 static void transform_input_tile(int m, const float *input, int channels, int height, int width,
                                           tile_place place, float *v) {
    if (m == 4) {
        transform_input_tile_of(4, &input_matrix_4[0][0], input, channels, height, width, place, v);
    } else {
        transform_input_tile_of(2, &input_matrix_2[0][0], input, channels, height, width, place, v);
    }
}

// Y = A^T M A for one tile and every filter block, from m[p][K] into the nChw8c output, then the epilogue.
HONE_INLINE HONE_AVX2 void transform_output_tile_of(const int m, const float *matrix, const float *products,
                                                    int filters, int height, int width, tile_place place,
                                                    const hone_winograd_epilogue *epilogue, float *output) {
    enum { most = 6 };
    const int n = m + 2;
    int top = m * place.row, left = m * place.column;
    for (int kb = 0; kb < filters / 8; kb++) {
        __m256 x[most * most], t[most * most], y[most * most];
        HONE_UNROLL
        for (int p = 0; p < n * n; p++) x[p] = _mm256_loadu_ps(products + (size_t)p * filters + kb * 8);
        HONE_UNROLL
        for (int b = 0; b < n; b++) combine(m, n, matrix, x + b, n, t + b, n);
        HONE_UNROLL
        for (int a = 0; a < m; a++) combine(m, n, matrix, t + a * n, 1, y + a * m, 1);
        size_t plane_offset = (((size_t)place.image * (filters / 8) + kb) * height) * width * 8;
        float *plane = output + plane_offset;
        __m256 bias = epilogue && epilogue->bias ? _mm256_loadu_ps(epilogue->bias + kb * 8) : _mm256_setzero_ps();
        int rows = height - top < m ? height - top : m, columns = width - left < m ? width - left : m;
        if (epilogue) {
            for (int a = 0; a < rows; a++) {
                for (int b = 0; b < columns; b++) {
                    size_t at = ((size_t)(top + a) * width + left + b) * 8;
                    __m256 pixel = _mm256_add_ps(y[a * m + b], bias);
                    if (epilogue->residual) {
                        pixel = _mm256_add_ps(pixel, _mm256_loadu_ps(epilogue->residual + plane_offset + at));
                    }
                    if (epilogue->relu) pixel = _mm256_max_ps(pixel, _mm256_setzero_ps());
                    _mm256_storeu_ps(plane + at, pixel);
                }
            }
        } else if (rows == m && columns == m) {
            HONE_UNROLL
            for (int a = 0; a < m; a++) {
                HONE_UNROLL
                for (int b = 0; b < m; b++) {
                    _mm256_storeu_ps(plane + ((size_t)(top + a) * width + left + b) * 8, y[a * m + b]);
                }
            }
        } else {
            for (int a = 0; a < rows; a++) {
                for (int b = 0; b < columns; b++) {
                    _mm256_storeu_ps(plane + ((size_t)(top + a) * width + left + b) * 8, y[a * m + b]);
                }
            }
        }
    }
}

HONE_AVX2 static void transform_output_tile(int m, const float *products, int filters, int height, int width,
                                            tile_place place, const hone_winograd_epilogue *epilogue,
                                            float *output) {
    if (m == 4) {
        transform_output_tile_of(4, &output_matrix_4[0][0], products, filters, height, width, place, epilogue,
                                 output);
    } else {
        transform_output_tile_of(2, &output_matrix_2[0][0], products, filters, height, width, place, epilogue,
                                 output);
    }
}

// A dY A^T for one tile of the output gradient and every filter block, into m[p][K].
HONE_INLINE HONE_AVX2 void transform_output_gradient_tile_of(const int m, const float *matrix, const float *gradient,
                                                             int filters, int height, int width, tile_place place,
                                                             float *products) {
    enum { most = 6 };
    const int n = m + 2;
    int top = m * place.row, left = m * place.column;
    int inside = top + m <= height && left + m <= width;
    for (int kb = 0; kb < filters / 8; kb++) {
        const float *plane = gradient + (((size_t)place.image * (filters / 8) + kb) * height) * width * 8;
        __m256 g[4 * 4], e[most * 4], w[most * most];
        if (inside) {
            HONE_UNROLL
            for (int a = 0; a < m; a++) {
                HONE_UNROLL
                for (int b = 0; b < m; b++) g[a * m + b] = _mm256_loadu_ps(plane + ((size_t)(top + a) * width + left + b) * 8);
            }
        } else {
            HONE_UNROLL
            for (int a = 0; a < m; a++) {
                HONE_UNROLL
                for (int b = 0; b < m; b++) {
                    int y = top + a, x = left + b;
                    g[a * m + b] = (y < height && x < width) ? _mm256_loadu_ps(plane + ((size_t)y * width + x) * 8)
                                                             : _mm256_setzero_ps();
                }
            }
        }
        HONE_UNROLL
        for (int b = 0; b < m; b++) combine(n, m, matrix, g + b, m, e + b, m);
        HONE_UNROLL
        for (int a = 0; a < n; a++) combine(n, m, matrix, e + a * m, 1, w + a * n, 1);
        HONE_UNROLL
        for (int p = 0; p < n * n; p++) _mm256_storeu_ps(products + (size_t)p * filters + kb * 8, w[p]);
    }
}

HONE_AVX2 static void transform_output_gradient_tile(int m, const float *gradient, int filters, int height,
                                                     int width, tile_place place, float *products) {
    if (m == 4) {
        transform_output_gradient_tile_of(4, &gradient_matrix_4[0][0], gradient, filters, height, width, place,
                                          products);
    } else {
        transform_output_gradient_tile_of(2, &gradient_matrix_2[0][0], gradient, filters, height, width, place,
                                          products);
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

// Tiles per block: whole kernels of six rows whose V and M together take about the block budget.
static int tiles_per_block(int positions, int channels, int filters) {
    int tiles = block_budget / (positions * 4 * (channels + filters));
    tiles -= tiles % rows_per_kernel;
    if (tiles < rows_per_kernel) tiles = rows_per_kernel;
    if (tiles > 16 * rows_per_kernel) tiles = 16 * rows_per_kernel;
    return tiles;
}

// Floats from one tile's n² x `width` values to the next: 64 bytes more than they take, so that
// the kernels' walks across tiles do not hit one L1 cache set (4 KiB aliasing) at every step.
static size_t slot_stride(int positions, int width) { return (size_t)positions * width + 16; }

typedef struct {
    const float *input, *weights, *output_gradient;
    const hone_winograd_epilogue *epilogue;
    float *output;
    float **partial_gradients;
    int tile, positions, batch, channels, height, width, filters;
    int tile_rows, tile_columns, tiles, block, parts;
} winograd_job;

static winograd_job make_job(int tile, int batch, int channels, int height, int width, int filters) {
    winograd_job job = {0};
    job.tile = tile;
    job.positions = positions_of(tile);
    job.batch = batch;
    job.channels = channels;
    job.height = height;
    job.width = width;
    job.filters = filters;
    job.tile_rows = (height + tile - 1) / tile;
    job.tile_columns = (width + tile - 1) / tile;
    job.tiles = batch * job.tile_rows * job.tile_columns;
    job.block = tiles_per_block(job.positions, channels, filters);
    return job;
}

static float *scratch(size_t floats) {
    return aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
}

HONE_AVX2 static void forward_worker(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int block = job->block, channels = job->channels, filters = job->filters, positions = job->positions;
    size_t v_stride = slot_stride(positions, channels), m_stride = slot_stride(positions, filters);
    float *v = scratch(block * v_stride);
    float *m = scratch(block * m_stride);
    int blocks = (job->tiles + block - 1) / block;
    for (int index = thread; index < blocks; index += threads) {
        int first = index * block;
        int count = job->tiles - first < block ? job->tiles - first : block;
        int padded = (count + rows_per_kernel - 1) / rows_per_kernel * rows_per_kernel;
        for (int slot = 0; slot < count; slot++) {
            tile_place place = place_of(first + slot, job->tile_rows, job->tile_columns);
            transform_input_tile(job->tile, job->input, channels, job->height, job->width, place, v + slot * v_stride);
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
            transform_output_tile(job->tile, m + slot * m_stride, filters, job->height, job->width, place,
                                  job->epilogue, job->output);
        }
    }
    free(v);
    free(m);
}

void hone_winograd_forward(int tile, const float *input, const float *transformed, float *output, int batch,
                           int channels, int height, int width, int filters, const hone_winograd_epilogue *epilogue) {
    winograd_job job = make_job(tile, batch, channels, height, width, filters);
    job.input = input;
    job.weights = transformed;
    job.epilogue = epilogue;
    job.output = output;
    GOMP_parallel(forward_worker, &job, 0, 0);
}

HONE_AVX2 static void weight_gradient_worker(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int block = job->block, channels = job->channels, filters = job->filters, positions = job->positions;
    size_t v_stride = slot_stride(positions, channels), m_stride = slot_stride(positions, filters);
    float *v = scratch(block * v_stride);
    float *m = scratch(block * m_stride);
    size_t count = hone_winograd_weight_count(job->tile, channels, filters);
    float *sums = scratch(count);
    memset(sums, 0, sizeof(float) * count);
    job->partial_gradients[thread] = sums;
    int blocks = (job->tiles + block - 1) / block;
    for (int index = thread; index < blocks; index += threads) {
        int first = index * block;
        int count = job->tiles - first < block ? job->tiles - first : block;
        for (int slot = 0; slot < count; slot++) {
            tile_place place = place_of(first + slot, job->tile_rows, job->tile_columns);
            transform_input_tile(job->tile, job->input, channels, job->height, job->width, place, v + slot * v_stride);
            transform_output_gradient_tile(job->tile, job->output_gradient, filters, job->height, job->width, place,
                                           m + slot * m_stride);
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

// dW = G^T U G for eight filters and one channel, from the threads' partial U-space sums
// partials[part][p][C][K] (p < n², K contiguous), written to the plain [K][C][3][3] gradient.
HONE_INLINE HONE_AVX2 void finish_weight_gradient_of(const int m, const float *matrix, float *const *partials,
                                                     int parts, int channels, int filters, int c, int k,
                                                     float *gradient) {
    enum { most = 6 };
    const int n = m + 2;
    __m256 u[most * most], t[3 * most], y[9];
    HONE_UNROLL
    for (int p = 0; p < n * n; p++) {
        size_t at = ((size_t)p * channels + c) * filters + k;
        __m256 sum = _mm256_loadu_ps(partials[0] + at);
        for (int part = 1; part < parts; part++) sum = _mm256_add_ps(sum, _mm256_loadu_ps(partials[part] + at));
        u[p] = sum;
    }
    HONE_UNROLL
    for (int b = 0; b < n; b++) combine_transposed(3, n, matrix, u + b, n, t + b, n);
    HONE_UNROLL
    for (int r = 0; r < 3; r++) combine_transposed(3, n, matrix, t + r * n, 1, y + r * 3, 1);
    float taps[9][8] __attribute__((aligned(32)));
    HONE_UNROLL
    for (int q = 0; q < 9; q++) _mm256_store_ps(taps[q], y[q]);
    for (int lane = 0; lane < 8; lane++) {
        float *out = gradient + ((size_t)(k + lane) * channels + c) * 9;
        for (int q = 0; q < 9; q++) out[q] = taps[q][lane];
    }
}

// Sums the threads' partial U-space gradients and applies G^T . G for a contiguous share of the channels.
HONE_AVX2 static void weight_gradient_finisher(void *argument) {
    const winograd_job *job = argument;
    int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    int channels = job->channels, filters = job->filters;
    int first = channels * thread / threads, last = channels * (thread + 1) / threads;
    for (int c = first; c < last; c++) {
        for (int k = 0; k < filters; k += 8) {
            if (job->tile == 4) {
                finish_weight_gradient_of(4, &weight_matrix_4[0][0], job->partial_gradients, job->parts, channels,
                                          filters, c, k, job->output);
            } else {
                finish_weight_gradient_of(2, &weight_matrix_2[0][0], job->partial_gradients, job->parts, channels,
                                          filters, c, k, job->output);
            }
        }
    }
}

// The thread count GOMP_parallel(…, 0, 0) will use.
static void count_threads(void *argument) {
    if (omp_get_thread_num() == 0) *(int *)argument = omp_get_num_threads();
}

void hone_winograd_weight_gradient(int tile, const float *input, const float *output_gradient,
                                   float *weight_gradient, int batch, int channels, int height, int width,
                                   int filters) {
    int threads = 1;
    GOMP_parallel(count_threads, &threads, 0, 0);
    float *partials[threads];
    for (int t = 0; t < threads; t++) partials[t] = NULL;
    winograd_job job = make_job(tile, batch, channels, height, width, filters);
    job.input = input;
    job.output_gradient = output_gradient;
    job.partial_gradients = partials;
    GOMP_parallel(weight_gradient_worker, &job, (unsigned)threads, 0);
    // The threads that ran (libgomp may start fewer than asked) are 0, 1, ...: each left its sums.
    job.parts = 0;
    while (job.parts < threads && partials[job.parts]) job.parts++;
    job.output = weight_gradient;
    GOMP_parallel(weight_gradient_finisher, &job, (unsigned)threads, 0);
    for (int t = 0; t < threads; t++) free(partials[t]);
}
