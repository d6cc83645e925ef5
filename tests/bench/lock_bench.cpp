// lock_bench.cpp: sync::Mutex against std::mutex in the same process, interleaved runs,
// best of several (the machine is shared and noisy: only ratios are meaningful).
//  - uncontended lock+unlock, ns/op (target: Mutex <= 0.6x std::mutex)
//  - contended throughput, 2 and 8 threads, short critical sections (target: >= 1.0x), with
//    both spin policies: a plain lock()'s, and a critical section's (LockFlags::Brief)
// Usage: lock_bench [--quick]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "sync/mutex.h"

using ftpy::sync::Mutex;

namespace {

using Clock = std::chrono::steady_clock;

// The Mutex as object critical sections lock it: adaptive backoff (sync/mutex.cpp).
struct FTPY_CAPABILITY("mutex") BriefMutex {
  Mutex m;
  void lock() FTPY_ACQUIRE() { m.lock(ftpy::sync::LockFlags::Brief); }
  void unlock() FTPY_RELEASE() { m.unlock(); }
};

template <class M>
double uncontended_ns(long iters) {
  static M m;
  auto t0 = Clock::now();
  for (long i = 0; i < iters; i++) {
    m.lock();
    asm volatile("" ::: "memory");  // keep the pair from being merged or hoisted
    m.unlock();
  }
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / double(iters);
}

// Millions of critical sections per second with `threads` threads for `ms` milliseconds.
template <class M>
double contended_mops(int threads, int ms) {
  M m;
  long shared_counter = 0;
  std::atomic<bool> go{false}, stop{false};
  std::vector<long> done(threads * 16, 0);  // padded per-thread counts
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; t++)
    ts.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      long n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        for (int k = 0; k < 64; k++) {
          m.lock();
          shared_counter++;  // a short critical section touching shared data
          m.unlock();
        }
        n += 64;
      }
      done[t * 16] = n;
    });
  auto t0 = Clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  stop = true;
  for (auto& th : ts) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  long total = 0;
  for (int t = 0; t < threads; t++) total += done[t * 16];
  if (total != shared_counter) std::fprintf(stderr, "lost updates!\n");
  return double(total) / secs / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  long iters = quick ? 2'000'000 : 20'000'000;
  int reps = quick ? 2 : 5;
  int ms = quick ? 100 : 400;

  std::printf("sizeof(ftpy::sync::Mutex) = %zu byte, sizeof(std::mutex) = %zu bytes\n",
              sizeof(Mutex), sizeof(std::mutex));
  double best_ftpy = 1e9, best_std = 1e9;
  for (int r = 0; r < reps; r++) {
    best_ftpy = std::min(best_ftpy, uncontended_ns<Mutex>(iters));
    best_std = std::min(best_std, uncontended_ns<std::mutex>(iters));
  }
  std::printf("uncontended lock+unlock: Mutex %.2f ns, std::mutex %.2f ns, ratio %.2fx "
              "(target <= 0.60x)\n",
              best_ftpy, best_std, best_ftpy / best_std);
  for (int threads : {2, 8}) {
    double f = 0, b = 0, s = 0;
    for (int r = 0; r < reps; r++) {
      f = std::max(f, contended_mops<Mutex>(threads, ms));
      b = std::max(b, contended_mops<BriefMutex>(threads, ms));
      s = std::max(s, contended_mops<std::mutex>(threads, ms));
    }
    std::printf("contended, %d threads: Mutex %.1f M ops/s, std::mutex %.1f M ops/s, "
                "ratio %.2fx (target >= 1.00x)\n",
                threads, f, s, f / s);
    std::printf("contended, %d threads, critical-section backoff: Mutex %.1f M ops/s, "
                "ratio %.2fx\n",
                threads, b, b / s);
  }
  return 0;
}
