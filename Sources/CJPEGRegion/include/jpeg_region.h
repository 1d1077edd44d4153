// Decoding a window of a JPEG through libjpeg-turbo's libjpeg API (jpeg_crop_scanline,
// jpeg_skip_scanlines), with libjpeg's setjmp/longjmp error handling kept inside C.
#ifndef HONE_JPEG_REGION_H
#define HONE_JPEG_REGION_H
#endif
