#include "CMPIShim.h"

MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
MPI_Datatype cmpi_int64(void) { return MPI_INT64_T; }
MPI_Op cmpi_sum(void) { return MPI_SUM; }
MPI_Op cmpi_max(void) { return MPI_MAX; }
void *cmpi_in_place(void) { return MPI_IN_PLACE; }
MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
int cmpi_success(void) { return MPI_SUCCESS; }
MPI_Status *cmpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
