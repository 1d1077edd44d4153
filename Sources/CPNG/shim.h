// libpng 1.6 (Debian's libpng-dev), for decoding PNG files.
#include <png.h>
