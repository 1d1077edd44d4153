// Direct 3x3 convolutions of images with few channels (an RGB or grey stem), f32, AVX2 + FMA.
//
// Shapes: input [N, C, H, W] plain NCHW (C small: 1-4), weights [K, C, 3, 3] plain OIHW,
// output and output gradient [N, K, H, W] in oneDNN's nChw8c layout (K a multiple of 8);
// stride 1, padding 1, no dilation or groups.
// Why: oneDNN 2.6's AVX2 kernels run a 1-channel stem at ~8 GFLOP/s (each output needs only
// 9 products, too few for its blocking); here each output pixel's eight filters are one
// vector and every tap one broadcast and one FMA (0.42 ms for the Fashion model's stem, batch 128).
// Every function runs on libgomp's thread pool, the one oneDNN's kernels use.
#ifndef HONE_NARROW_CONVOLUTION_H
#define HONE_NARROW_CONVOLUTION_H

// Whether this CPU has AVX2 and FMA, which the functions below need.
int hone_narrow_convolution_is_supported(void);

// output = conv(input, weights) + bias (NULL: none), then max(., 0) when relu is set.
void hone_narrow_convolution_forward(const float *input, const float *weights, const float *bias, int relu,
                                     float *output, int batch, int channels, int height, int width, int filters);

// The weight gradient [K, C, 3, 3] (plain, overwritten) from the input and the output gradient.
void hone_narrow_convolution_weight_gradient(const float *input, const float *output_gradient,
                                             float *weight_gradient, int batch, int channels, int height,
                                             int width, int filters);

#endif
