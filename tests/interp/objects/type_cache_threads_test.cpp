// type_cache_threads_test.cpp: the type attribute cache (class.cpp) under real threads. One
// writer rebinds attributes of a base class and of a subclass, one thread creates and drops
// subclasses, four readers look the attributes up (type_lookup, getattr on the classes and on
// an instance). Every value read must be one that was bound, of the right name, and no older
// than the last rebinding that had finished before the read began; once the writer stops,
// every reader sees the final values. Values are interned strs (immortal), so their lifetime
// is not under test here. Bounded by a time budget; meant to run under TSan and ASan too.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <charconv>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "interp/objects/class.h"
#include "interp/modules/interp_init.h"
#include "interp/objects/object.h"
#include "interp/vm/vm.h"
#include "interp/objects/vm_state.h"
#include "runtime/thread_state.h"
#include "tests/interp/vm_scope.h"
#include "tests/support/stress.h"

using namespace ftpy::interp;
namespace runtime = ftpy::runtime;
using ftpy::test::main_vm;
using ftpy::test::VmScope;

namespace {

Value istr(const std::string& s) { return Value::from(&intern(s)->header); }

Value new_class(const char* name, Value base, Value ns) {
  Value nm = make_str(name);
  Value bases = make_tuple_from(&base, 1);
  Value cls = make_class(nm, bases, ns);
  decref(nm);
  decref(bases);
  return cls;
}

// Failures seen on worker threads (Catch2's assertions are for the main thread only).
struct Failures {
  std::atomic<long> count{0};
  std::mutex mutex;
  std::string first;
  void add(const std::string& what) {
    if (count.fetch_add(1, std::memory_order_relaxed) == 0) {
      std::lock_guard<std::mutex> g(mutex);
      first = what;
    }
  }
};

// The index n of a value "<prefix>n", or -1 if v is not such an interned str.
long index_of(Value v, std::string_view prefix) {
  if (!v.is_object() || type_of(v) != &g_str_type) return -1;
  StrObject* s = as_str(v);
  if (!s->interned) return -1;
  std::string_view text = s->view();
  if (text.substr(0, prefix.size()) != prefix) return -1;
  long n = -1;
  auto [p, ec] = std::from_chars(text.data() + prefix.size(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size()) return -1;
  return n;
}

}  // namespace

TEST_CASE("type versions are never handed out twice", "[interp][stress]") {
  main_vm();
  constexpr int k_threads = 4, k_each = 20000;
  std::vector<std::vector<std::uint32_t>> got(k_threads);
  ftpy::test::run_threads(k_threads, [&](int i) {
    got[i].reserve(k_each);
    for (int n = 0; n < k_each; n++) got[i].push_back(next_type_version());
  });
  std::vector<std::uint32_t> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  CHECK(all.front() > g_object_type.version.load(std::memory_order_relaxed));  // after start-up's
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
}

TEST_CASE("type attribute cache stays coherent while a class is rebound", "[interp][stress]") {
  VmThread* main = main_vm();
  constexpr long k_max_writes = 50000;
  constexpr int k_budget_ms = 300, k_readers = 4;

  // Values: "x:n" is the n-th binding of B.x; "y:n" (n odd) the n-th binding of S.y, "y:0"
  // B.y (what S.y falls back to while deleted). Interned up front, so readers never allocate.
  std::vector<Value> xs, ys;
  for (long n = 0; n <= k_max_writes; n++) {
    xs.push_back(istr("x:" + std::to_string(n)));
    ys.push_back(istr("y:" + std::to_string(n)));
  }
  StrObject* x = intern("x");
  StrObject* y = intern("y");

  // B <- S <- T; x lives on B, y on B and (every other write) on S.
  Value ns = make_dict();
  REQUIRE(dict_setitem_str(ns, x, xs[0]) == 0);
  REQUIRE(dict_setitem_str(ns, y, ys[0]) == 0);
  Value object_v = Value::from(&g_object_type.header);
  Value B = new_class("B", object_v, ns);
  decref(ns);
  REQUIRE(B);
  ns = make_dict();
  Value S = new_class("S", B, ns);
  Value T = new_class("T", S, ns);
  decref(ns);
  REQUIRE(S);
  REQUIRE(T);
  Value inst = call0(T);
  REQUIRE(inst);
  auto* Bt = reinterpret_cast<TypeObject*>(B.obj());
  auto* St = reinterpret_cast<TypeObject*>(S.obj());
  auto* Tt = reinterpret_cast<TypeObject*>(T.obj());

  // Writes that have completed: B.x holds xs[x_done - 1] or a later value, S.y likewise.
  std::atomic<long> x_done{1}, y_done{1};
  std::atomic<bool> writer_done{false};
  std::atomic<long> reads{0}, created{0};
  long final_writes = 0;
  Failures fail;

  // What S.y / T.y read once `done` writes of y have completed (write w binds "y:w" for odd
  // w and deletes S.y for even w, so the lookup falls back to B.y = "y:0").
  auto y_after = [](long done) {
    long w = done - 1;
    return w % 2 ? w : 0;
  };
  // A read that began after `lo` writes had completed and ended before write `hi` completed
  // (so it may see the effect of writes lo - 1 .. hi, write hi possibly in flight).
  auto check = [&](Value v, char name, long lo, long hi, const char* where) {
    long n = index_of(v, name == 'x' ? "x:" : "y:");
    bool ok;
    if (n < 0) ok = false;
    else if (name == 'x') ok = n >= lo - 1 && n <= hi;
    else if (n == 0) ok = y_after(lo) == 0 || hi > lo || lo % 2 == 0;  // S.y deleted meanwhile
    else ok = n % 2 == 1 && n >= lo - 1 && n <= hi;
    if (!ok)
      fail.add(std::string(where) + ": got " + (n < 0 ? "a foreign value" : std::to_string(n)) +
               " with writes " + std::to_string(lo) + ".." + std::to_string(hi));
  };
  // Reads `name` through fn (a borrowed result, or a new one when `owned`) and checks it.
  auto probe = [&](char name, const char* where, bool owned, auto fn) {
    std::atomic<long>& done = name == 'x' ? x_done : y_done;
    long lo = done.load(std::memory_order_acquire);
    Value v = fn();
    long hi = done.load(std::memory_order_acquire);
    if (!v) {
      clear_error();
      fail.add(std::string(where) + ": lookup failed");
      return;
    }
    check(v, name, lo, hi, where);
    if (owned) decref(v);
  };

  {
    runtime::Detached detached{main->ts};
    ftpy::test::run_threads(2 + k_readers, [&](int role) {
      VmScope scope;
      if (role == 0) {  // the writer
        ftpy::test::Budget budget{k_budget_ms};
        long n = 1;
        for (; n <= k_max_writes && !budget.done(); n++) {
          if (setattr(B, x, xs[n]) < 0) fail.add("setattr B.x failed");
          x_done.store(n + 1, std::memory_order_release);
          int r = n % 2 ? setattr(S, y, ys[n]) : delattr(S, y);
          if (r < 0) {
            clear_error();
            fail.add("setattr/delattr S.y failed");
          }
          y_done.store(n + 1, std::memory_order_release);
        }
        final_writes = n;
        writer_done.store(true, std::memory_order_release);
      } else if (role == 1) {  // creates and drops subclasses of T while B and S change
        Value empty = make_dict();
        while (!writer_done.load(std::memory_order_acquire)) {
          Value c = new_class("C", T, empty);
          if (!c) {
            clear_error();
            fail.add("make_class failed");
            break;
          }
          auto* ct = reinterpret_cast<TypeObject*>(c.obj());
          probe('x', "C.x", false, [&] { return type_lookup(ct, x); });
          probe('y', "C.y", false, [&] { return type_lookup(ct, y); });
          decref(c);
          created.fetch_add(1, std::memory_order_relaxed);
        }
        decref(empty);
      } else {  // readers
        auto read_all = [&] {
          probe('x', "lookup B.x", false, [&] { return type_lookup(Bt, x); });
          probe('x', "lookup T.x", false, [&] { return type_lookup(Tt, x); });
          probe('x', "inst.x", true, [&] { return getattr(inst, x); });
          probe('x', "S.x", true, [&] { return getattr(S, x); });
          probe('y', "lookup S.y", false, [&] { return type_lookup(St, y); });
          probe('y', "lookup T.y", false, [&] { return type_lookup(Tt, y); });
          probe('y', "inst.y", true, [&] { return getattr(inst, y); });
          probe('y', "T.y", true, [&] { return getattr(T, y); });
          reads.fetch_add(1, std::memory_order_relaxed);
        };
        while (!writer_done.load(std::memory_order_acquire)) read_all();
        // The writer has stopped: everything must read the final values now.
        long xd = x_done.load(std::memory_order_acquire);
        long yd = y_done.load(std::memory_order_acquire);
        if (type_lookup(Tt, x) != xs[xd - 1] || type_lookup(Bt, x) != xs[xd - 1])
          fail.add("final x not seen");
        if (type_lookup(Tt, y) != ys[y_after(yd)] || type_lookup(St, y) != ys[y_after(yd)])
          fail.add("final y not seen");
        read_all();
      }
    });
  }

  INFO("writes " << final_writes << " reads " << reads.load() << " created " << created.load());
  INFO("first failure: " << fail.first);
  CHECK(fail.count.load() == 0);
  CHECK(final_writes > 10);
  CHECK(reads.load() > 10);
  CHECK(created.load() > 0);
  // And from this thread, after the joins.
  CHECK(type_lookup(Tt, x) == xs[final_writes - 1]);
  CHECK(type_lookup(Tt, y) == ys[y_after(final_writes)]);
  decref(inst);
  decref(T);
  decref(S);
  decref(B);
}
