// The oneDNN C API (Debian's libdnnl-dev 2.6), the OpenMP thread control, and glibc's mallopt, which the CPU backend needs.
#include <oneapi/dnnl/dnnl.h>
#include <malloc.h>

// From libgomp (omp.h lives in GCC's private include folder, which Swift's clang does not search).
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
