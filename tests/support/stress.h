// stress.h: helpers for bounded multi-threaded tests. Every stress loop stops by itself: at
// its iteration count or at its time budget, whichever comes first (sanitizer builds run
// 5-20x slower, so budgets are in time, and checks are on exact counts of what ran).
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ftpy::test {

// Runs fn(i) on n threads, started together, and joins them.
inline void run_threads(int n, const std::function<void(int)>& fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int i = 0; i < n; i++) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

// Catch2's assertions are for the main thread: worker threads record failures here, and the
// main thread checks `count` (and reports `first`) after joining them.
struct Failures {
  std::atomic<long> count{0};
  std::mutex mutex;
  std::string first;
  void fail(const std::string& what) {
    if (count.fetch_add(1) == 0) {
      std::lock_guard<std::mutex> g(mutex);
      first = what;
    }
  }
};

// A time budget: done() turns true after `ms` milliseconds.
class Budget {
 public:
  explicit Budget(int ms)
      : m_end(std::chrono::steady_clock::now() + std::chrono::milliseconds(ms)) {}
  bool done() const { return std::chrono::steady_clock::now() >= m_end; }

 private:
  std::chrono::steady_clock::time_point m_end;
};

}  // namespace ftpy::test
