// Open MPI's C API (Debian: libopenmpi-dev; include path from pkg-config ompi-c).
#include <mpi.h>
