// subinterp_test.cpp: subinterpreters through their C++ API (interp/modules/subinterp.h), with
// real threads. Checked: create/close cycles give every arena back clean (none retired, the
// pool's count and the main interpreter's live blocks back to their baselines); 48
// interpreters alive at once; threads that create, run and close interpreters while the main
// interpreter collects; values both ways through queues; a global stop-the-world while four
// interpreters run bytecode. In checked builds every refcount slow path and GC traversal also
// verifies that no thread state touched another interpreter's object (runtime/isolation.h),
// and a forked child shows that a violation is fatal.
// Every stress loop is bounded by a time budget and stops by itself.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <thread>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alloc/arena_pool.h"
#include "gc/collect.h"
#include "interp/compile/compiler.h"
#include "interp/front/source.h"
#include "interp/modules/crossinterp.h"
#include "interp/modules/subinterp.h"
#include "interp/objects/module_type.h"
#include "interp/vm/vm.h"
#include "runtime/runtime.h"
#include "runtime/stop_the_world.h"
#include "runtime/thread_state.h"
#include "tests/interp/vm_scope.h"
#include "tests/support/stress.h"

using namespace ftpy::interp;
namespace runtime = ftpy::runtime;
namespace alloc = ftpy::alloc;
using ftpy::test::Budget;
using ftpy::test::Failures;
using ftpy::test::main_vm;
using ftpy::test::run_threads;

namespace {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int k_cycles = 1000;  // sanitized code runs 5-20x slower
#else
constexpr int k_cycles = 10000;
#endif

std::int64_t create_ok() {
  std::int64_t id = -1;
  XiStatus st = interp_create(&id);
  FTPY_ASSERT(st == XiStatus::Ok);
  return id;
}

std::string exec_status(std::int64_t id, const char* source) {
  ExcSnapshot exc;
  XiStatus st = interp_exec(id, source, &exc);
  if (st == XiStatus::Ok) return "ok";
  if (st == XiStatus::Failed) return exc.type + ": " + exc.msg;
  return "status " + std::to_string(int(st));
}

// Runs source in the calling thread's own interpreter (the main one here).
bool run_here(const char* text) {
  auto source = std::make_shared<const Source>("<test>", text);
  SyntaxErrorInfo err;
  CodeObject* code = compile_source(source, &err);
  if (!code) return false;
  Value globals = module_dict(t_vm->interp->main_module);
  Value r = run_code(code, globals, globals);
  decref(Value::from(&code->header));
  if (!r) {
    clear_error();
    return false;
  }
  decref(r);
  return true;
}

std::int64_t main_live_blocks() {
  runtime::ThreadState* ts = main_vm()->ts;
  for (int i = 0; i < 1000 && ts->eval_breaker(); i++)
    if (ts->safe_point()) ts->handle_eval_breaker();
  ts->heaps().process_delayed();
  ts->heaps().flush_counts();
  alloc::InterpHeaps& h = ts->interp()->heaps();
  return h.live_blocks(alloc::Tag::Object) + h.live_blocks(alloc::Tag::Gc) +
         h.live_blocks(alloc::Tag::Mem);
}

// A program that leaves garbage cycles, classes, closures and module state behind.
constexpr const char* k_busy_program =
    "import sys, threading\n"
    "class Node:\n"
    "    def __init__(self, n):\n"
    "        self.next = self\n"
    "        self.n = n\n"
    "data = [Node(i) for i in range(50)]\n"
    "d = {str(i): [i, (i, 'x' * i)] for i in range(50)}\n"
    "def counter():\n"
    "    c = 0\n"
    "    def inc():\n"
    "        nonlocal c\n"
    "        c += 1\n"
    "        return c\n"
    "    return inc\n"
    "f = counter()\n"
    "f()\n"
    "x = 1.0 / 3\n"
    "x = 2.0 / 3\n";  // a float freed at the last store, no safe point after it

}  // namespace

TEST_CASE("create/close cycles give every arena back, counts at their baselines",
          "[interp][subinterp]") {
  main_vm();
  // One cycle first: what the first interpreter interns (immortal names) stays.
  std::int64_t id = create_ok();
  REQUIRE(exec_status(id, k_busy_program) == "ok");
  REQUIRE(interp_close(id) == XiStatus::Ok);
  const int available = alloc::arena_pool::available();
  const int retired = alloc::arena_pool::retired_count();
  const std::int64_t live = main_live_blocks();
  const int interps = runtime::Runtime::get().interpreter_count();
  for (int i = 0; i < k_cycles; i++) {
    id = create_ok();
    std::string st = exec_status(id, i % 100 == 0 ? k_busy_program : "x = [1, (2, 'three')]\n");
    if (st != "ok") FAIL("cycle " << i << ": " << st);
    if (i % 100 == 1) {
      // Values replaced in __main__ (a shared dict: released through QSBR) with no safe point
      // after them, floats among them, freed while the thread state is torn down.
      for (double v : {1.5, 2.5, 3.5}) {
        std::vector<std::pair<std::string, XiData>> items(1);
        items[0].first = "y";
        items[0].second.kind = XiData::Kind::Float;
        items[0].second.f = v;
        if (interp_prepare_main(id, &items) != XiStatus::Ok) FAIL("prepare_main failed");
      }
    }
    if (interp_close(id) != XiStatus::Ok) FAIL("close failed at cycle " << i);
  }
  REQUIRE(alloc::arena_pool::retired_count() == retired);  // every arena came back empty
  REQUIRE(alloc::arena_pool::available() == available);
  REQUIRE(runtime::Runtime::get().interpreter_count() == interps);
  REQUIRE(main_live_blocks() == live);
  REQUIRE(interp_list() == std::vector<std::int64_t>{0});
}

TEST_CASE("48 interpreters alive at once, each with its own state", "[interp][subinterp]") {
  main_vm();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 48; i++) ids.push_back(create_ok());
  for (std::size_t i = 0; i < ids.size(); i++)
    REQUIRE(exec_status(ids[i], ("n = " + std::to_string(i)).c_str()) == "ok");
  for (std::size_t i = 0; i < ids.size(); i++) {
    std::string check = "assert n == " + std::to_string(i);
    REQUIRE(exec_status(ids[i], check.c_str()) == "ok");
  }
  REQUIRE(interp_list().size() == 49);
  for (std::int64_t id : ids) REQUIRE(interp_close(id) == XiStatus::Ok);
  REQUIRE(interp_list().size() == 1);
  REQUIRE(alloc::arena_pool::retired_count() == 0);
}

TEST_CASE("closing refuses the main, the current and a running interpreter",
          "[interp][subinterp]") {
  main_vm();
  REQUIRE(interp_close(0) == XiStatus::Main);
  REQUIRE(interp_close(123456) == XiStatus::NotFound);
  std::int64_t id = create_ok();
  ExcSnapshot exc;
  REQUIRE(interp_exec(0, "pass", &exc) == XiStatus::Running);
  REQUIRE(interp_close(id) == XiStatus::Ok);
  REQUIRE(interp_close(id) == XiStatus::NotFound);
  REQUIRE(interp_exec(id, "pass", &exc) == XiStatus::NotFound);
}

TEST_CASE("threads create, run and close interpreters while the main one collects",
          "[interp][subinterp][stress]") {
  main_vm();
  constexpr int k_threads = 8, k_budget_ms = 2000;
  Failures failures;
  std::atomic<int> workers_done{0};
  std::atomic<long> cycles{0};
  runtime::Detached detached(main_vm()->ts);  // the collector below stops this world
  std::thread collector([&] {
    ftpy::test::VmScope scope;
    if (!run_here("import gc\n")) failures.fail("import gc failed");
    while (workers_done.load() < k_threads) {
      if (!run_here("junk = [[i] for i in range(200)]\nfor j in junk: j.append(j)\n"
                    "del junk\ngc.collect()\n"))
        failures.fail("the main interpreter's loop raised");
    }
  });
  {
    run_threads(k_threads, [&](int t) {
      Budget budget{k_budget_ms};
      while (!budget.done()) {
        std::int64_t id = -1;
        XiStatus st = interp_create(&id);
        if (st == XiStatus::NoArena) continue;  // the other threads hold them all
        if (st != XiStatus::Ok) {
          failures.fail("create failed");
          break;
        }
        std::string r = exec_status(id, k_busy_program);
        if (r != "ok") failures.fail("thread " + std::to_string(t) + ": " + r);
        r = exec_status(id, "import gc\nassert gc.collect() >= 0\nassert f() == 2\n");
        if (r != "ok") failures.fail("thread " + std::to_string(t) + ": " + r);
        if (interp_close(id) != XiStatus::Ok) failures.fail("close failed");
        cycles.fetch_add(1);
      }
      workers_done.fetch_add(1);
    });
    collector.join();  // detached still: the collector stops this interpreter's world
  }
  INFO(failures.first);
  REQUIRE(failures.count == 0);
  REQUIRE(cycles.load() >= k_threads);
  REQUIRE(interp_list() == std::vector<std::int64_t>{0});
}

TEST_CASE("queues carry values both ways between interpreters", "[interp][subinterp][stress]") {
  main_vm();
  XiQueue* to_b = xi_queue_new(8);  // bounded: put blocks too
  XiQueue* to_a = xi_queue_new(0);
  std::int64_t a = create_ok(), b = create_ok();
  auto bind = [](std::int64_t id, XiQueue* in, XiQueue* out) {
    std::vector<std::pair<std::string, XiData>> items(2);
    for (int k = 0; k < 2; k++) {
      items[k].first = k == 0 ? "inq" : "outq";
      items[k].second.kind = XiData::Kind::Queue;
      items[k].second.queue = k == 0 ? in : out;
      xi_queue_incref(items[k].second.queue);
    }
    return interp_prepare_main(id, &items);
  };
  REQUIRE(bind(a, to_a, to_b) == XiStatus::Ok);
  REQUIRE(bind(b, to_b, to_a) == XiStatus::Ok);
  std::string ra, rb;
  {
    runtime::Detached detached(main_vm()->ts);
    run_threads(2, [&](int t) {
      if (t == 0) {
        ra = exec_status(a,
                         "total = 0\n"
                         "for i in range(2000):\n"
                         "    outq.put((i, str(i), i * 0.5))\n"
                         "for i in range(2000):\n"
                         "    n, s = inq.get(timeout=60)\n"
                         "    assert s == 'echo' + str(n - 1)\n"
                         "    total += n\n"
                         "assert total == sum(range(1, 2001)), total\n");
      } else {
        rb = exec_status(b,
                         "for i in range(2000):\n"
                         "    n, s, f = inq.get(timeout=60)\n"
                         "    assert s == str(n) and f == n * 0.5\n"
                         "    outq.put((n + 1, 'echo' + str(n)))\n");
      }
    });
  }
  REQUIRE(ra == "ok");
  REQUIRE(rb == "ok");
  REQUIRE(xi_queue_size(to_a) == 0);
  REQUIRE(xi_queue_size(to_b) == 0);
  REQUIRE(interp_close(a) == XiStatus::Ok);
  REQUIRE(interp_close(b) == XiStatus::Ok);
  xi_queue_decref(to_a);
  xi_queue_decref(to_b);
}

TEST_CASE("a global stop-the-world stops four interpreters running bytecode",
          "[interp][subinterp][stress]") {
  main_vm();
  constexpr int k_interps = 4, k_stops = 30;
  XiQueue* stop = xi_queue_new(0);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < k_interps; i++) {
    ids.push_back(create_ok());
    std::vector<std::pair<std::string, XiData>> items(1);
    items[0].first = "stop";
    items[0].second.kind = XiData::Kind::Queue;
    items[0].second.queue = stop;
    xi_queue_incref(stop);
    REQUIRE(interp_prepare_main(ids.back(), &items) == XiStatus::Ok);
  }
  std::atomic<int> started{0};
  std::vector<std::string> results(k_interps);
  std::thread runner([&] {
    run_threads(k_interps, [&](int t) {
      started.fetch_add(1);
      results[t] = exec_status(ids[t],
                               "i = 0\n"
                               "while stop.empty():\n"
                               "    i += 1\n"
                               "assert i > 0\n");
    });
  });
  while (started.load() < k_interps) std::this_thread::yield();
  int attached_seen = 0;
  for (int s = 0; s < k_stops; s++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    runtime::StopTheWorld world(runtime::StopTheWorld::All{});
    runtime::Runtime& rt = runtime::Runtime::get();
    ftpy::sync::MutexGuard g(rt.head());
    rt.for_each_interpreter([&](runtime::Interpreter* interp) {
      interp->for_each_thread_state([&](runtime::ThreadState* ts) {
        if (ts != main_vm()->ts && ts->state() == runtime::TState::Attached) attached_seen++;
      });
    });
  }
  XiData go;
  REQUIRE(xi_queue_put(stop, &go, 0) == XiWait::Ok);
  runner.join();
  REQUIRE(attached_seen == 0);
  for (const std::string& r : results) REQUIRE(r == "ok");
  for (std::int64_t id : ids) REQUIRE(interp_close(id) == XiStatus::Ok);
  xi_queue_decref(stop);
}

#if defined(FTPY_CHECKS)
// The isolation check itself: a child process takes a reference, from a thread state of a
// subinterpreter, to an object of the main interpreter, and must die by the check's abort.
TEST_CASE("touching another interpreter's object is fatal in checked builds",
          "[interp][subinterp]") {
  main_vm();
  std::int64_t id = create_ok();
  Value list = make_list(0);  // the main interpreter's
  REQUIRE(list);
  std::fflush(nullptr);
  pid_t child = fork();
  if (child == 0) {
    std::freopen("/dev/null", "w", stderr);  // the fatal message is expected
    std::signal(SIGABRT, SIG_DFL);           // Catch2's own handler is not for this child
    VmInterp* target = nullptr;
    {
      // Find the interpreter's VmInterp through the runtime's list.
      runtime::Runtime& rt = runtime::Runtime::get();
      ftpy::sync::MutexGuard g(rt.head());
      rt.for_each_interpreter([&](runtime::Interpreter* interp) {
        if (interp->id() == id) target = static_cast<VmInterp*>(interp->m_upper_state);
      });
    }
    if (!target) std::_Exit(3);
    InterpSwitch sw(target);
    if (!sw.ok()) std::_Exit(4);
    incref(list);  // a foreign thread state's shared-count path: the check fires here
    std::_Exit(0);
  }
  REQUIRE(child > 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  INFO("exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
  decref(list);
  REQUIRE(interp_close(id) == XiStatus::Ok);
}
#endif
