// containers_threads_test.cpp: list and dict shared by real threads. Writers hold
// the containers' critical sections; readers index, iterate and look up without a lock while
// arrays and tables are replaced under them. Checked: no crash (and no report under TSan or
// ASan), exact sizes and contents where every update must land, one winner per key for
// setdefault, and every object freed exactly once: the interpreter's live-block counts come
// back to where they were. Every stress loop is bounded by a time budget and stops by itself.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "interp/modules/interp_init.h"
#include "interp/objects/object.h"
#include "interp/vm/vm.h"
#include "interp/objects/vm_state.h"
#include "runtime/eval_breaker.h"
#include "runtime/interpreter.h"
#include "runtime/thread_state.h"
#include "tests/interp/vm_scope.h"
#include "tests/support/stress.h"

using namespace ftpy::interp;
namespace runtime = ftpy::runtime;
namespace alloc = ftpy::alloc;
using ftpy::test::Budget;
using ftpy::test::Failures;
using ftpy::test::run_threads;
using ftpy::test::main_vm;
using ftpy::test::VmScope;

namespace {

// run_threads with the main thread detached, as a Python thread is while it joins: an
// attached thread that never reaches a safe point would hold up QSBR and the owner hand-over.
void run_vm_threads(int n, const std::function<void(int)>& fn) {
  runtime::Detached detached(main_vm()->ts);
  run_threads(n, fn);
}

// Serves the main thread's requests until none are left (the other threads are
// gone, so every goal is reached), then flushes the block counts.
std::int64_t settled_live_blocks() {
  runtime::ThreadState* ts = main_vm()->ts;
  // Delayed references and frees, and merges queued for us by the threads that dropped our
  // objects' last references.
  for (int i = 0; i < 1000 && ts->eval_breaker(); i++)
    if (ts->safe_point()) ts->handle_eval_breaker();
  alloc::InterpHeaps& h = ts->interp()->heaps();
  ts->safe_point();
  ts->heaps().process_delayed();
  h.process_shared_delayed(false);  // what exited threads left to free
  ts->heaps().flush_counts();
  return h.live_blocks(alloc::Tag::Object) + h.live_blocks(alloc::Tag::Gc) +
         h.live_blocks(alloc::Tag::Mem);
}

// A fresh (non-interned, heap) str: its block is what "freed exactly once" is about.
Value fresh(const std::string& s) {
  Value v = make_str(s);
  FTPY_ASSERT(v);
  return v;
}

// Catch2's assertions are for the main thread: worker threads record failures here.
Failures g_failures;
#define EXPECT_T(cond)                                 \
  do {                                                 \
    if (!(cond)) g_failures.fail(#cond);               \
  } while (0)

Value method(Value obj, const char* name) {
  Value m = getattr(obj, intern(name));
  FTPY_ASSERT(m);
  return m;
}

}  // namespace

TEST_CASE("list: 8 threads appending to one list lose nothing", "[containers][threads][stress]") {
  main_vm();
  std::int64_t before = settled_live_blocks();
  Value list = make_list(0);
  constexpr int k_threads = 8, k_per_thread = 4000;
  run_vm_threads(k_threads, [&](int t) {
    VmScope vm;
    for (int i = 0; i < k_per_thread; i++) {
      Value s = fresh(std::to_string(t * k_per_thread + i));
      EXPECT_T(list_append(list, s) == 0);
      decref(s);
      if (i % 64 == 0) vm.safe_point();
    }
  });
  INFO(g_failures.first);
  REQUIRE(g_failures.count == 0);
  REQUIRE(list_size(list) == std::size_t(k_threads) * k_per_thread);
  REQUIRE(list_validate(list) == "");
  std::vector<int> seen(k_threads * k_per_thread, 0);
  for (std::size_t i = 0; i < list_size(list); i++) {
    int n = std::stoi(std::string(as_str(list_data(list)[i])->view()));
    seen[std::size_t(n)]++;
  }
  for (int n : seen) REQUIRE(n == 1);
  decref(list);
  REQUIRE(settled_live_blocks() == before);
}

TEST_CASE("list: readers index and iterate while writers append, pop, set and insert",
          "[containers][threads][stress]") {
  main_vm();
  std::int64_t before = settled_live_blocks();
  Value list = make_list(0);
  for (int i = 0; i < 64; i++) {
    Value s = fresh("seed" + std::to_string(i));
    list_append(list, s);
    decref(s);
  }
  Failures failures;
  std::atomic<std::int64_t> appended{0}, popped{0};
  constexpr int k_writers = 3, k_readers = 3;
  run_vm_threads(k_writers + k_readers, [&](int t) {
    VmScope vm;
    Budget budget(400);
    Value pop = method(list, "pop"), insert = method(list, "insert");
    for (int i = 0; !budget.done(); i++) {
      if (t < k_writers) {
        Value s = fresh("w" + std::to_string(t) + "-" + std::to_string(i));
        switch (i % 4) {
          case 0:
          case 1:
            if (list_append(list, s) == 0) appended++;
            break;
          case 2: {
            Value r = call0(pop);  // IndexError when empty is fine
            if (r) {
              popped++;
              if (!is_str(r)) failures.fail("pop returned a non-str");
              decref(r);
            } else {
              clear_error();
            }
            break;
          }
          default: {
            // Replace an item (the old one is released through QSBR) or insert at the front.
            Value idx = make_int(i % 7);
            if (i % 8 == 3) {
              if (setitem(list, idx, s) < 0) clear_error();
            } else {
              Value r = call2(insert, Value::small(0), s);
              if (r) {
                appended++;
                decref(r);
              } else {
                clear_error();
              }
            }
            decref(idx);
          }
        }
        decref(s);
      } else {
        // Readers: index from both ends, iterate, test membership.
        std::size_t n = list_size(list);
        Value v = list_get(list, std::int64_t(i) % std::int64_t(n + 1));
        if (v) {
          if (!is_str(v)) failures.fail("list_get returned a non-str");
          decref(v);
        } else {
          clear_error();
        }
        if (i % 16 == 0) {
          Value it = get_iter(list);
          std::size_t count = 0;
          while (Value x = iter_next(it)) {
            if (!is_str(x)) failures.fail("iteration yielded a non-str");
            decref(x);
            count++;
          }
          if (error_occurred()) failures.fail("iteration raised");
          decref(it);
          (void)count;
        }
      }
      if (i % 32 == 0) vm.safe_point();
    }
    decref(pop);
    decref(insert);
  });
  INFO(failures.first);
  REQUIRE(failures.count == 0);
  REQUIRE(std::int64_t(list_size(list)) == 64 + appended.load() - popped.load());
  decref(list);
  REQUIRE(settled_live_blocks() == before);
}

TEST_CASE("dict: readers look up while writers insert, replace, delete and resize",
          "[containers][threads][stress]") {
  main_vm();
  std::int64_t before = settled_live_blocks();
  Value dict = make_dict();
  constexpr int k_writers = 3, k_readers = 3, k_keys = 200;
  // Keys: interned strs "k<writer>_<n>" (each writer its own range) and ints.
  Failures failures;
  std::vector<std::int64_t> final_round(k_writers, -1);
  run_vm_threads(k_writers + k_readers, [&](int t) {
    VmScope vm;
    Budget budget(400);
    std::int64_t round = 0;
    for (int i = 0; !budget.done(); i++) {
      if (t < k_writers) {
        // One round: insert every key with this round's value, then delete the odd ones
        // (the table grows and shrinks through resizes every round).
        for (int k = 0; k < k_keys; k++) {
          StrObject* key = intern("k" + std::to_string(t) + "_" + std::to_string(k));
          Value v = fresh(std::to_string(round));
          EXPECT_T(dict_setitem_str(dict, key, v) == 0);
          decref(v);
          Value ik = make_int(t * 100000 + k);
          EXPECT_T(dict_setitem(dict, ik, ik) == 0);
          decref(ik);
        }
        for (int k = 1; k < k_keys; k += 2) {
          StrObject* key = intern("k" + std::to_string(t) + "_" + std::to_string(k));
          EXPECT_T(dict_delitem(dict, Value::from(&key->header)) == 0);
        }
        final_round[std::size_t(t)] = round++;
      } else {
        int w = i % k_writers;
        StrObject* key = intern("k" + std::to_string(w) + "_" + std::to_string(i % k_keys));
        Value v = dict_get_str(dict, key);
        if (v) {
          incref(v);  // borrowed until our next safe point: count it first
          if (!is_str(v)) failures.fail("dict_get_str returned a non-str");
          decref(v);
        }
        Value ik = make_int(w * 100000 + i % k_keys);
        Value iv = dict_get(dict, ik);
        if (iv && iv != ik) failures.fail("int key mapped to another value");
        decref(ik);
        if (error_occurred()) failures.fail("lookup raised");
      }
      if (i % 4 == 0) vm.safe_point();
    }
  });
  INFO(failures.first);
  REQUIRE(failures.count == 0);
  INFO(g_failures.first);
  REQUIRE(g_failures.count == 0);
  // Exact final contents: each writer's even keys hold its last round, its odd keys are gone.
  REQUIRE(dict_size(dict) == std::size_t(k_writers) * (k_keys / 2 + k_keys));
  REQUIRE(dict_validate(dict) == "");
  for (int t = 0; t < k_writers; t++) {
    for (int k = 0; k < k_keys; k++) {
      StrObject* key = intern("k" + std::to_string(t) + "_" + std::to_string(k));
      Value v = dict_get_str(dict, key);
      if (k % 2) {
        REQUIRE(!v);
      } else {
        REQUIRE(v);
        REQUIRE(as_str(v)->view() == std::to_string(final_round[std::size_t(t)]));
      }
    }
  }
  decref(dict);
  REQUIRE(settled_live_blocks() == before);
}

TEST_CASE("dict: setdefault gives every racing thread the one stored value",
          "[containers][threads][stress]") {
  main_vm();
  std::int64_t before = settled_live_blocks();
  Value dict = make_dict();
  constexpr int k_threads = 4, k_keys = 500;
  std::vector<std::vector<Value>> got(k_threads, std::vector<Value>(k_keys));
  run_vm_threads(k_threads, [&](int t) {
    VmScope vm;
    Value setdefault = method(dict, "setdefault");
    for (int k = 0; k < k_keys; k++) {
      Value key = make_int(k);
      Value mine = make_list(0);
      Value r = call2(setdefault, key, mine);
      EXPECT_T(r);
      got[std::size_t(t)][std::size_t(k)] = r;  // kept: identity compared below
      decref(mine);
      decref(key);
      if (k % 16 == 0) vm.safe_point();
    }
    decref(setdefault);
  });
  INFO(g_failures.first);
  REQUIRE(g_failures.count == 0);
  for (int k = 0; k < k_keys; k++) {
    Value stored = dict_get(dict, Value::small(k));
    REQUIRE(stored);
    for (int t = 0; t < k_threads; t++) REQUIRE(got[std::size_t(t)][std::size_t(k)] == stored);
  }
  for (auto& row : got)
    for (Value v : row) decref(v);
  decref(dict);
  REQUIRE(settled_live_blocks() == before);
}
