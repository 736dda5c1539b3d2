// Row colorings (partial distance-2 on the rows of J) by ColPack, on the
// patterns jacobian-bench colors with the library's RowColoring: the 5-point
// grid Laplacian at m = 31, 100, 1000 and three pseudo-random 10^4 × 10^4
// patterns with 3 entries per column (the same generator). Prints one JSON
// object per line: {"pattern", "order", "colors", "seconds"}.
//
//   Benchmarks/colpack/run.sh
#include <ColPack/ColPackHeaders.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

using Rows = std::vector<std::set<unsigned>>;

// Node (r, c) = r·m + c couples with its four grid neighbours and itself.
static Rows grid(int m) {
    Rows rows(m * m);
    for (int node = 0; node < m * m; ++node) {
        int r = node / m, c = node % m;
        rows[node].insert(node);
        if (r > 0) rows[node].insert(node - m);
        if (c > 0) rows[node].insert(node - 1);
        if (c < m - 1) rows[node].insert(node + 1);
        if (r < m - 1) rows[node].insert(node + m);
    }
    return rows;
}

// The generator of jacobian-bench: column j gets 3 rows (state >> 33) % n.
static Rows random_pattern(uint64_t seed, int n) {
    Rows rows(n);
    uint64_t state = seed * 0x9E3779B97F4A7C15ull;
    for (int j = 0; j < n; ++j) {
        for (int t = 0; t < 3; ++t) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            rows[(state >> 33) % n].insert(j);
        }
    }
    return rows;
}

static void color(const std::string& name, const Rows& rows, int columns) {
    // ADOL-C's row compressed form: row i is {count, column, column, ...}.
    std::vector<std::vector<unsigned>> storage(rows.size());
    std::vector<unsigned*> pointers(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        storage[i].push_back(rows[i].size());
        storage[i].insert(storage[i].end(), rows[i].begin(), rows[i].end());
        pointers[i] = storage[i].data();
    }
    for (const char* order : {"NATURAL", "LARGEST_FIRST", "SMALLEST_LAST", "INCIDENCE_DEGREE"}) {
        ColPack::BipartiteGraphPartialColoringInterface g(SRC_MEM_ADOLC, pointers.data(), (int)rows.size(), columns);
        auto start = std::chrono::steady_clock::now();
        g.PartialDistanceTwoColoring(order, "ROW_PARTIAL_DISTANCE_TWO");
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("{\"pattern\": \"%s\", \"order\": \"%s\", \"colors\": %d, \"seconds\": %.6f}\n", name.c_str(), order,
                    g.GetLeftVertexColorCount(), seconds);
        std::fflush(stdout);
    }
}

int main() {
    for (int m : {31, 100, 1000}) color("grid Laplacian, m = " + std::to_string(m), grid(m), m * m);
    for (uint64_t seed = 1; seed <= 3; ++seed)
        color("random 10^4, 3 per column, seed " + std::to_string(seed), random_pattern(seed, 10000), 10000);
    return 0;
}
