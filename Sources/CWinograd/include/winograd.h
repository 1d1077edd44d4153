// Winograd F(m x m, 3x3) convolutions, m = `tile` = 2 or 4, for f32 activations in oneDNN's nChw8c layout
// (AVX2 + FMA).
//
// Shapes: input [N, C, H, W] as nChw8c (C a multiple of 8), weights [K, C, 3, 3] plain OIHW,
// output [N, K, H, W] as nChw8c (K a multiple of 16); stride 1, padding 1, no dilation or groups.
// Why: oneDNN 2.6 has only direct convolutions on AVX2; F(2,3) does 2.25x fewer multiplications,
// F(4,3) 4x fewer.
// Every function runs on libgomp's thread pool, the one oneDNN's kernels use.
#ifndef HONE_WINOGRAD_H
#define HONE_WINOGRAD_H

#include <stddef.h>

// Whether this CPU has AVX2 and FMA, which every function below needs.
int hone_winograd_is_supported(void);

// Floats in a transformed weight tensor: (tile + 2)² positions x C x K.
size_t hone_winograd_weight_count(int tile, int channels, int filters);

// U = G g G^T for each (k, c), stored [positions][K/16][C][16]. With `backward` the weights are
// flipped and transposed first (input channels and filters swap roles), which turns the
// convolution of the output gradient into the input gradient.
void hone_winograd_transform_weights(int tile, const float *weights, int filters, int channels, int backward,
                                     float *transformed);

// What the forward adds to each output before storing it: bias [K] (or NULL), then residual
// [N, K, H, W] nChw8c (or NULL; it may be the output itself), then max(., 0) when relu is set.
typedef struct {
    const float *bias;
    const float *residual;
    int relu;
} hone_winograd_epilogue;

// output = conv(input, weights) with `transformed` from hone_winograd_transform_weights, then the
// epilogue (NULL: none): input [N, C, H, W] nChw8c, output [N, K, H, W] nChw8c.
void hone_winograd_forward(int tile, const float *input, const float *transformed, float *output,
                           int batch, int channels, int height, int width, int filters,
                           const hone_winograd_epilogue *epilogue);

// The weight gradient [K, C, 3, 3] (plain, overwritten) from input [N, C, H, W] and the output
// gradient [N, K, H, W], both nChw8c.
void hone_winograd_weight_gradient(int tile, const float *input, const float *output_gradient, float *weight_gradient,
                                   int batch, int channels, int height, int width, int filters);

#endif
