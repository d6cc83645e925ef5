// isolation.cpp: the thread-id -> interpreter-id table of checked builds (isolation.h).
// Two levels, so that ids (handed out once each, never reused) index it without a lock: a
// fixed directory of chunks, each allocated on first use by a CAS and never freed. An entry
// stores interp_id + 1 (0: not recorded).
#include "runtime/isolation.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/interpreter.h"
#include "runtime/thread_state.h"

namespace ftpy::runtime {
namespace {

constexpr std::size_t k_chunk = std::size_t(1) << 16;
constexpr std::size_t k_chunks = std::size_t(1) << 14;  // 2^30 thread-state ids
using Chunk = std::atomic<std::int64_t>[k_chunk];
std::atomic<Chunk*> g_dir[k_chunks];

std::atomic<std::int64_t>* slot(ThreadId tid, bool create) {
  std::size_t c = std::size_t(tid) / k_chunk;
  if (c >= k_chunks) return nullptr;
  Chunk* chunk = g_dir[c].load(std::memory_order_acquire);
  if (!chunk && create) {
    auto* fresh = static_cast<Chunk*>(std::calloc(1, sizeof(Chunk)));
    if (!fresh) return nullptr;
    // acq_rel: a loser sees the winner's zeroed chunk.
    if (g_dir[c].compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel))
      chunk = fresh;
    else
      std::free(fresh);
  }
  return chunk ? &(*chunk)[std::size_t(tid) % k_chunk] : nullptr;
}

}  // namespace

void isolation_register(ThreadId tid, std::int64_t interp_id) {
  if constexpr (!k_checks) return;
  // release: pairs with the acquire in isolation_interp_of on another thread that meets an
  // object this thread state allocated (it reached that object through some
  // synchronisation that followed this store).
  if (auto* s = slot(tid, true)) s->store(interp_id + 1, std::memory_order_release);
}

std::int64_t isolation_interp_of(ThreadId tid) {
  auto* s = slot(tid, false);
  return s ? s->load(std::memory_order_acquire) - 1 : -1;
}

void isolation_check_slow(const Object* o, const char* where) {
  ThreadState* ts = ThreadState::current();
  if (!ts) return;
  ThreadId owner = o->ob_tid.load(std::memory_order_relaxed);
  if (owner == 0 || is_immortal(o)) return;
  std::int64_t theirs = isolation_interp_of(owner);
  std::int64_t ours = ts->interp()->id();
  if (theirs < 0 || theirs == ours) return;
  char msg[160];
  std::snprintf(msg, sizeof msg,
                "isolation: %s: a thread state of interpreter %lld touched an object of "
                "interpreter %lld (type %s)",
                where, static_cast<long long>(ours), static_cast<long long>(theirs),
                o->ob_type && o->ob_type->name ? o->ob_type->name : "?");
  fatal(msg);
}

}  // namespace ftpy::runtime
