// runtime_bench.cpp: the costs the runtime adds, measured against baselines in the same run.
//  - owner incref+decref pair vs an atomic fetch_add/fetch_sub pair (target: >= 3x faster)
//  - attach+detach pair, ns
//  - time to stop the world with 2 threads busy in loops with safe points (median, max us)
// Usage: runtime_bench [--quick]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "runtime/object.h"
#include "runtime/runtime.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"

using namespace ftpy::runtime;
using Clock = std::chrono::steady_clock;

namespace {

void no_dealloc(Object*) {}
int no_traverse(Object*, VisitFn, void*) { return 0; }
void no_clear(Object*) {}
Type bench_type = {"Bench", sizeof(Object), 0, no_dealloc, no_traverse, no_clear};

double ns_since(Clock::time_point t0, long n) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / double(n);
}

// Keeps the compiler from folding the loop away: the object is "used" each iteration.
template <class T>
void clobber(T* p) {
  asm volatile("" : : "r"(p) : "memory");
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  long n = quick ? 5'000'000 : 50'000'000;
  int reps = quick ? 2 : 5;
  Runtime& rt = Runtime::get();
  if (rt.init_main() != InterpStatus::Ok) return 1;
  Interpreter* interp = rt.main_interpreter();
  ThreadStatus st;
  ThreadState* ts = ThreadState::create(interp, &st);
  ts->attach();

  // 1. Refcounting.
  Object* o = alloc_object(&bench_type, sizeof(Object));
  std::atomic<long> counter{1};
  double best_brc = 1e9, best_atomic = 1e9;
  for (int r = 0; r < reps; r++) {
    auto t0 = Clock::now();
    for (long i = 0; i < n; i++) {
      incref(o);
      clobber(o);
      decref(o);
    }
    best_brc = std::min(best_brc, ns_since(t0, n));
    t0 = Clock::now();
    for (long i = 0; i < n; i++) {
      counter.fetch_add(1, std::memory_order_relaxed);
      clobber(&counter);
      counter.fetch_sub(1, std::memory_order_acq_rel);
    }
    best_atomic = std::min(best_atomic, ns_since(t0, n));
  }
  std::printf("incref+decref, owner: %.2f ns; atomic fetch_add+fetch_sub: %.2f ns; "
              "owner path %.1fx faster (target >= 3x)\n",
              best_brc, best_atomic, best_atomic / best_brc);

  // 2. Attach + detach.
  long m = n / 20;
  double best_attach = 1e9;
  for (int r = 0; r < reps; r++) {
    auto t0 = Clock::now();
    for (long i = 0; i < m; i++) {
      ts->detach();
      ts->attach();
    }
    best_attach = std::min(best_attach, ns_since(t0, m));
  }
  std::printf("detach+attach pair: %.1f ns\n", best_attach);

  // 3. Time to stop the world with 2 busy threads.
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  std::vector<std::thread> busy;
  for (int i = 0; i < 2; i++)
    busy.emplace_back([&] {
      ThreadStatus s;
      ThreadState* me = ThreadState::create(interp, &s);
      me->attach();
      started++;
      std::atomic<long> work{0};
      while (!stop.load(std::memory_order_relaxed)) {
        // A loop body with a safe point every ~100 ns, like a VM's backward jump.
        for (int k = 0; k < 20; k++) work.fetch_add(1, std::memory_order_relaxed);
        if (me->safe_point()) me->handle_eval_breaker();
      }
      me->destroy();
    });
  while (started.load() < 2) std::this_thread::yield();
  int requests = quick ? 200 : 2000;
  std::vector<double> us;
  for (int i = 0; i < requests; i++) {
    {
      StopTheWorld stw(interp);
      us.push_back(double(interp->stw().stats.last_stop_ns) / 1000.0);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  stop = true;
  for (auto& t : busy) t.join();
  std::sort(us.begin(), us.end());
  std::printf("time to stop the world, 2 busy threads, %d requests: median %.1f us, "
              "p99 %.1f us, max %.1f us\n",
              requests, us[us.size() / 2], us[us.size() * 99 / 100], us.back());
  decref(o);
  ts->destroy();
  return 0;
}
