// ptr_set.h: PtrSet, a set of non-null pointers that never throws (the orphan set of
// heaps.h). Open addressing with linear probing and backward-shift deletion (no tombstones),
// capacity a power of two, load at most 1/2. Storage comes from std::malloc, so growing
// reports out-of-memory as `false` instead of throwing; reserve() lets a caller allocate
// before a pass that must not fail halfway. Not thread-safe: its owner's mutex guards it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ftpy::alloc {

class PtrSet {
 public:
  PtrSet() = default;
  ~PtrSet();
  PtrSet(const PtrSet&) = delete;
  PtrSet& operator=(const PtrSet&) = delete;

  // Room for `n` elements in total without allocating again. False on out-of-memory.
  bool reserve(std::size_t n);
  // Adds p (no-op if present). False on out-of-memory (the set is unchanged).
  bool insert(void* p);
  // Removes p; false if it was not there.
  bool erase(const void* p);
  bool contains(const void* p) const { return m_size != 0 && m_slots[find(p)] == p; }
  std::size_t size() const { return m_size; }
  // Frees the storage.
  void clear();

  // fn(p) for every element; fn must not modify the set.
  template <class F>
  void for_each(F&& fn) const {
    for (std::size_t i = 0; i < m_cap; i++)
      if (m_slots[i]) fn(m_slots[i]);
  }

 private:
  static constexpr std::size_t k_min_cap = 16;
  std::size_t home(const void* p) const {
    // Fibonacci hashing of the address; blocks are 16-byte aligned, so the low bits carry
    // nothing and the high bits of the product are used.
    std::uint64_t h = std::uint64_t(reinterpret_cast<std::uintptr_t>(p)) * 0x9E3779B97F4A7C15ull;
    return std::size_t(h >> 32) & (m_cap - 1);
  }
  // The slot holding p, or the empty slot where it would go. Requires m_cap > 0.
  std::size_t find(const void* p) const;
  bool rehash(std::size_t cap);

  void** m_slots = nullptr;  // nullptr marks an empty slot
  std::size_t m_cap = 0;
  std::size_t m_size = 0;
};

}  // namespace ftpy::alloc
