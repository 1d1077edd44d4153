// The oneDNN C API (Debian's libdnnl-dev 2.6) and the OpenMP thread control Hone needs.
#include <oneapi/dnnl/dnnl.h>

// From libgomp (omp.h lives in GCC's private include folder, which Swift's clang does not search).
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
