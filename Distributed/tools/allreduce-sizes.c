// The all-reduce micro-benchmark quoted in docs/DISTRIBUTED.md (bucket size choice):
//   mpicc -O2 allreduce-sizes.c -o /tmp/allreduce-sizes
//   OMPI_MCA_btl=self,vader OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
//     mpirun --allow-run-as-root -np 2 /tmp/allreduce-sizes
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank; MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  long sizes[] = {1024, 65536, 524288, 1048576, 4208652};
  for (int s = 0; s < 5; s++) {
    long n = sizes[s];
    double *b = malloc(n * sizeof(double));
    for (long i = 0; i < n; i++) b[i] = 1e-3;
    double best = 1e9, tot = 0; int reps = 10;
    for (int r = 0; r < reps; r++) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, b, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      t = MPI_Wtime() - t; if (t < best) best = t; tot += t;
    }
    if (rank == 0) printf("%8ld doubles (%6.2f MB): best %.3f ms, mean %.3f ms, %.2f GB/s (best)\n", n, n*8/1e6, best*1e3, tot/reps*1e3, n*8/best/1e9);
    free(b);
  }
  MPI_Finalize();
}
