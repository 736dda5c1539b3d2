// MPI's predefined handles are macros that expand to casts of the addresses of
// Open MPI's globals (`((MPI_Comm) &ompi_mpi_comm_world)`), which Swift cannot
// import. These functions return them.
#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H
#include <mpi.h>

MPI_Comm cmpi_comm_world(void);
MPI_Datatype cmpi_double(void);
MPI_Datatype cmpi_int64(void);
MPI_Op cmpi_sum(void);
MPI_Op cmpi_max(void);
/// MPI_IN_PLACE, the send buffer of an in-place reduction.
void *cmpi_in_place(void);
MPI_Request cmpi_request_null(void);
/// MPI_THREAD_FUNNELED: only the thread that initialized MPI calls it.
int cmpi_thread_funneled(void);
int cmpi_success(void);
/// MPI_ERRORS_RETURN: calls return an error code instead of aborting.
MPI_Errhandler cmpi_errors_return(void);
/// MPI_STATUSES_IGNORE for MPI_Waitall and MPI_Testall.
MPI_Status *cmpi_statuses_ignore(void);

#endif
