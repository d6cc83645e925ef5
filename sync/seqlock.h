// seqlock.h: a sequence lock for small caches that any thread may fill and any thread may read
// without a lock (Boehm, "Can seqlocks get along with programming language memory models?").
// The lock word is even when the data is stable, odd while one writer fills it. A writer takes
// it from even to odd with a compare-exchange (acquire) and gives up if that fails, so writers
// never interleave and never wait; it stores the fields with seq_store (release) and makes the
// word even again with a release store. A reader loads the word (read_begin, acquire), loads
// the fields with seq_load (acquire) and uses them only if read_valid: the word was even and is
// unchanged. Acquire field loads and release field stores stand in for the classic fences,
// which ThreadSanitizer does not model; on x86 every one of these is a plain move.
// The lock word and the fields are plain memory touched only through these calls (so that a
// memset-zeroed struct is a valid, empty entry); a torn read is a miss, never a data race.
#pragma once
#include <cstdint>
#include <type_traits>

namespace ftpy::sync {

// A field of seqlocked data: a word-sized trivially copyable value.
template <class T>
concept SeqField = std::is_trivially_copyable_v<T> && (sizeof(T) <= sizeof(std::uint64_t));

// acquire: if this load reads a later fill's store, that fill's odd lock word (stored before
// it, by the acquire compare-exchange) is visible to read_valid's load, which the acquire keeps
// after this one. Pairs with seq_store.
template <SeqField T>
[[gnu::always_inline]] inline T seq_load(const T& field) {
  return __atomic_load_n(&field, __ATOMIC_ACQUIRE);
}
// release: a reader that sees this store also sees the odd lock word before it (read_valid
// then fails). Only between SeqWrite's begin and end. Pairs with seq_load.
template <SeqField T>
[[gnu::always_inline]] inline void seq_store(T& field, T v) {
  __atomic_store_n(&field, v, __ATOMIC_RELEASE);
}

struct SeqLock {
  std::uint32_t m_seq;  // odd while a writer fills the data; zero-initialised is valid

  // acquire: pairs with SeqWrite's release store that ended the fill, so the fields (and what
  // they point at) are visible.
  [[gnu::always_inline]] std::uint32_t read_begin() const {
    return __atomic_load_n(&m_seq, __ATOMIC_ACQUIRE);
  }
  // True if the fields loaded (seq_load) since read_begin returned `s` form one consistent
  // fill. relaxed: the acquire field loads already keep this load after them.
  [[gnu::always_inline]] bool read_valid(std::uint32_t s) const {
    return !(s & 1) && unchanged(s);
  }
  // read_valid for a reader that has already given up on an odd `s` (before its field loads).
  [[gnu::always_inline]] bool unchanged(std::uint32_t s) const {
    return __atomic_load_n(&m_seq, __ATOMIC_RELAXED) == s;
  }
};

// One fill of a SeqLock's data, if no other thread is filling it (ok()); store the fields with
// seq_store while it lives.
class [[nodiscard]] SeqWrite {
 public:
  [[gnu::always_inline]] explicit SeqWrite(SeqLock& l)
      : m_lock(l), m_seq(__atomic_load_n(&l.m_seq, __ATOMIC_RELAXED)) {
    // acquire: orders this fill after the previous filler's (its release store below), and
    // the field stores after the odd word.
    m_ok = !(m_seq & 1) && __atomic_compare_exchange_n(&l.m_seq, &m_seq, m_seq + 1, false,
                                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
  }
  // release: publishes the fields; pairs with read_begin.
  [[gnu::always_inline]] ~SeqWrite() {
    if (m_ok) __atomic_store_n(&m_lock.m_seq, m_seq + 2, __ATOMIC_RELEASE);
  }
  bool ok() const { return m_ok; }
  SeqWrite(const SeqWrite&) = delete;
  SeqWrite& operator=(const SeqWrite&) = delete;

 private:
  SeqLock& m_lock;
  std::uint32_t m_seq;
  bool m_ok;
};

}  // namespace ftpy::sync
