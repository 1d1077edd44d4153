// Implementation lives here (see include/jpeg_region.h).
#include "jpeg_region.h"
