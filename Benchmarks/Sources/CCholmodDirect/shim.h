// CHOLMOD's C API (Debian's libsuitesparse-dev), for the benchmark's direct
// cholmod_l_sdmult call. The library's own bridge is the CSuiteSparse module;
// this one has another name so that the two modules can coexist in one build.
#include <suitesparse/cholmod.h>
