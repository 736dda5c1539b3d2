// CHOLMOD from Debian's libsuitesparse-dev and cblas from libopenblas-dev.
// Installed by `make deps` (see the Makefile) when missing.
#include <suitesparse/cholmod.h>
#include <cblas.h>
