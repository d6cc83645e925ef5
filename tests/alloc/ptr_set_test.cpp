// ptr_set_test.cpp: PtrSet agrees with std::unordered_set under random inserts and erases
// (backward-shift deletion keeps every run reachable), and reserve() means no regrowth.
#include "alloc/ptr_set.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <unordered_set>
#include <vector>

using ftpy::alloc::PtrSet;

TEST_CASE("PtrSet matches a reference set", "[alloc]") {
  PtrSet s;
  std::unordered_set<void*> ref;
  std::mt19937_64 rng(42);
  // A small key space so erases hit and probe runs collide and wrap.
  auto key = [&] { return reinterpret_cast<void*>(std::uintptr_t(1 + rng() % 3000) * 16); };
  for (int i = 0; i < 200000; i++) {
    void* p = key();
    switch (rng() % 3) {
      case 0:
      case 1:
        REQUIRE(s.insert(p));
        ref.insert(p);
        break;
      default:
        REQUIRE(s.erase(p) == (ref.erase(p) == 1));
    }
    if (i % 4096 == 0) {
      REQUIRE(s.size() == ref.size());
      for (void* q : ref) REQUIRE(s.contains(q));
      std::size_t n = 0;
      s.for_each([&](void* q) {
        REQUIRE(ref.count(q) == 1);
        n++;
      });
      REQUIRE(n == ref.size());
    }
  }
  for (void* q : std::vector<void*>(ref.begin(), ref.end())) REQUIRE(s.erase(q));
  REQUIRE(s.size() == 0);
  REQUIRE_FALSE(s.contains(key()));
  s.clear();
  REQUIRE(s.insert(key()));
}

TEST_CASE("PtrSet reserve", "[alloc]") {
  PtrSet s;
  REQUIRE(s.reserve(1000));
  for (std::uintptr_t i = 1; i <= 1000; i++) REQUIRE(s.insert(reinterpret_cast<void*>(i * 32)));
  REQUIRE(s.size() == 1000);
  REQUIRE_FALSE(s.erase(reinterpret_cast<void*>(16)));
}
