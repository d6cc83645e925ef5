// test_block.h: a fake object header for the alloc tests, and the ObjectBlockOps that read
// it. Layout after the runtime's: the first word is what mimalloc overwrites with its
// free-list link on free (the runtime keeps ob_tid there), so the flags live at offset 8.
// Freeing follows the protocol of heaps.h: untrack with one atomic RMW, and if the old bits
// say orphaned, remove the block from the orphan set, then free.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

#include "alloc/heaps.h"

namespace ftpy::test {

struct TestBlock {
  static constexpr std::uint32_t k_tracked = 1;
  static constexpr std::uint32_t k_orphaned = 2;
  static constexpr std::uint32_t k_magic = 0x600DB10C;

  std::uint64_t tid;                  // offset 0: overwritten by mimalloc on free
  std::atomic<std::uint32_t> flags;   // offset 8: kept by the debug fill
  std::uint32_t refcount;             // offset 12: kept by the debug fill
  std::uint32_t magic;                // offset 16: filled
  std::uint32_t payload[3];
};
static_assert(offsetof(TestBlock, flags) == 8 && offsetof(TestBlock, refcount) == 12);
inline constexpr alloc::ObjectBlockOps::Range k_keep0{8, 4}, k_keep1{12, 4};

// Catch2's assertions are not thread-safe: worker threads count failures here and the main
// thread checks the count.
struct ThreadChecks {
  std::atomic<int> failures{0};
  void check(bool ok) {
    if (!ok) failures.fetch_add(1, std::memory_order_relaxed);
  }
};

inline TestBlock* as_block(const void* p) {
  return static_cast<TestBlock*>(const_cast<void*>(p));
}

inline void register_test_ops() {
  alloc::ObjectBlockOps ops{};
  ops.is_tracked = [](const void* b) {
    return (as_block(b)->flags.load(std::memory_order_acquire) & TestBlock::k_tracked) != 0;
  };
  ops.is_orphaned = [](const void* b) {
    return (as_block(b)->flags.load(std::memory_order_acquire) & TestBlock::k_orphaned) != 0;
  };
  ops.set_orphaned = [](void* b, bool on) {
    if (on)
      as_block(b)->flags.fetch_or(TestBlock::k_orphaned, std::memory_order_acq_rel);
    else
      as_block(b)->flags.fetch_and(~TestBlock::k_orphaned, std::memory_order_acq_rel);
  };
  ops.keep[0] = k_keep0;
  ops.keep[1] = k_keep1;
  ops.orphan_if_tracked = [](void* b) {
    auto& f = as_block(b)->flags;
    std::uint32_t v = f.load(std::memory_order_acquire);
    // acq_rel: pairs with the untrack in free_test_block().
    while ((v & TestBlock::k_tracked) && !(v & TestBlock::k_orphaned)) {
      if (f.compare_exchange_weak(v, v | TestBlock::k_orphaned, std::memory_order_acq_rel,
                                  std::memory_order_acquire))
        return true;
    }
    return false;
  };
  alloc::register_object_block_ops(ops);
}

// A tracked Gc block of `size` bytes (at least sizeof(TestBlock)), or nullptr.
inline TestBlock* new_test_block(alloc::ThreadHeaps& th, std::size_t size = sizeof(TestBlock)) {
  void* p = th.alloc(alloc::Tag::Gc, size);
  if (!p) return nullptr;
  auto* b = new (p) TestBlock{};
  b->magic = TestBlock::k_magic;
  b->flags.store(TestBlock::k_tracked, std::memory_order_release);
  return b;
}

// Frees a Gc block from any thread state of its interpreter (the runtime's protocol).
inline void free_test_block(alloc::ThreadHeaps& th, TestBlock* b) {
  std::uint32_t old = b->flags.fetch_and(~TestBlock::k_tracked, std::memory_order_acq_rel);
  if (old & TestBlock::k_orphaned) {
    th.interp()->remove_orphan(b);
    b->flags.store(0, std::memory_order_relaxed);
  }
  th.free(alloc::Tag::Gc, b);
}

}  // namespace ftpy::test
