// core_latency.cpp: the round trip of one cache line between two threads, in nanoseconds —
// what every contended lock hand-off and shared append pays. Prints one number (the median of
// 7 batches) for compare.py --scaling, which measures it before and after each script.
//
// Why: the 2 vCPUs of a cloud VM may sit on cores that share a cache complex or on cores that
// do not, and the hypervisor moves them while a program runs. On the machine these figures
// come from the round trip flips between about 60 ns and about 330 ns within seconds, and a
// benchmark whose threads hand one list back and forth scales well in the first state and
// cannot in the second. Printing the probe next to the speed-up says which was measured.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

alignas(64) std::atomic<long> g_ball{0};

// Thread A writes odd values and waits for the next even one; thread B answers.
double batch_ns(long rounds) {
  g_ball.store(0);
  std::thread other([rounds] {
    for (long i = 0; i < rounds; i++) {
      while (g_ball.load(std::memory_order_acquire) != 2 * i + 1) {
      }
      g_ball.store(2 * i + 2, std::memory_order_release);
    }
  });
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < rounds; i++) {
    g_ball.store(2 * i + 1, std::memory_order_release);
    while (g_ball.load(std::memory_order_acquire) != 2 * i + 2) {
    }
  }
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  other.join();
  return took.count() / double(rounds);
}

}  // namespace

int main() {
  std::vector<double> batches;
  for (int b = 0; b < 7; b++) batches.push_back(batch_ns(20000));
  std::sort(batches.begin(), batches.end());
  std::printf("%.0f\n", batches[batches.size() / 2]);
  return 0;
}
