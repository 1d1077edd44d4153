// libjpeg-turbo's TurboJPEG 2.x API (Debian's libturbojpeg0-dev), for decoding JPEG files.
#include <turbojpeg.h>
