// qsbr.cpp: thread slots and poll(). Slots live in chunks that are only ever added (under
// m_mutex) and freed in ~Qsbr, so poll() walks them without a lock.
#include "sync/qsbr.h"

#include <new>

namespace ftpy::sync {

Qsbr::~Qsbr() {
  Chunk* c = m_chunks.load(std::memory_order_acquire);
  while (c) {
    Chunk* next = c->next;
    delete c;
    c = next;
  }
}

QsbrThread* Qsbr::register_thread() {
  MutexGuard guard(m_mutex);
  if (!m_free) {
    Chunk* chunk = new (std::nothrow) Chunk;
    if (!chunk) return nullptr;
    for (int i = k_chunk_slots - 1; i >= 0; i--) {
      chunk->slots[i].m_owner = this;
      chunk->slots[i].m_next_free = m_free;
      m_free = &chunk->slots[i];
    }
    chunk->next = m_chunks.load(std::memory_order_relaxed);
    // release: poll() sees the chunk's initialised slots.
    m_chunks.store(chunk, std::memory_order_release);
  }
  QsbrThread* t = m_free;
  m_free = t->m_next_free;
  t->m_next_free = nullptr;
  t->m_seq.store(0, std::memory_order_relaxed);
  t->m_in_use.store(true, std::memory_order_release);
  return t;
}

void Qsbr::unregister_thread(QsbrThread* t) {
  if (!t) return;
  FTPY_ASSERT(t->m_owner == this);
  t->m_seq.store(0, std::memory_order_release);  // offline, from either state
  MutexGuard guard(m_mutex);
  t->m_in_use.store(false, std::memory_order_relaxed);
  t->m_next_free = m_free;
  m_free = t;
}

void Qsbr::online(QsbrThread* t) {
  expect_online(t, false, "Qsbr::online: the thread is already online (attached)");
  QsbrSeq seq = t->m_owner->m_wr_seq.load(std::memory_order_seq_cst);
  // A full barrier (seq_cst read-modify-write): the store of our sequence must be visible to
  // a poller before this thread reads any shared pointer, or a poller could skip us as
  // offline while we pick up memory it is about to free (store-load ordering, Dekker-style;
  // the poller's side is the seq_cst advance() and loads in poll()).
  t->m_seq.exchange(seq, std::memory_order_seq_cst);
}

bool Qsbr::poll(QsbrSeq goal) {
  if (goal <= m_rd_seq.load(std::memory_order_acquire)) return true;
  // No thread can be ahead of the write sequence, so it bounds the minimum from above.
  QsbrSeq min = m_wr_seq.load(std::memory_order_seq_cst);
  for (Chunk* c = m_chunks.load(std::memory_order_acquire); c; c = c->next) {
    for (QsbrThread& t : c->slots) {
      QsbrSeq s = t.m_seq.load(std::memory_order_seq_cst);
      if (s != 0 && s < min) min = s;
    }
  }
  QsbrSeq cur = m_rd_seq.load(std::memory_order_relaxed);
  while (cur < min &&
         !m_rd_seq.compare_exchange_weak(cur, min, std::memory_order_acq_rel,
                                         std::memory_order_relaxed)) {
  }
  return min >= goal;
}

}  // namespace ftpy::sync
