// deferred.cpp: DeferredQueue's out-of-line parts (pushing, merging, the ready prefix). No
// exception leaves this file: out of memory is a false return, and the queue is unchanged.
#include "alloc/deferred.h"

#include <algorithm>
#include <iterator>
#include <new>

#include "sync/check.h"

namespace ftpy::alloc {

namespace {
bool goal_less(const Deferred& a, const Deferred& b) { return a.goal < b.goal; }
}  // namespace

bool DeferredQueue::push(void* ptr, std::uint8_t tag, sync::QsbrSeq goal) {
  FTPY_DCHECK(m_entries.empty() || m_entries.back().goal <= goal);
  try {
    m_entries.push_back(Deferred{ptr, tag, goal});
  } catch (const std::bad_alloc&) {
    return false;
  }
  m_pushes++;
  return true;
}

std::size_t DeferredQueue::ready_prefix(sync::Qsbr& qsbr) const {
  std::size_t n = 0;
  while (n < m_entries.size() && qsbr.poll(m_entries[n].goal)) n++;
  return n;
}

bool DeferredQueue::take_ready_to_scratch(sync::Qsbr& qsbr) {
  std::size_t ready = ready_prefix(qsbr);
  if (ready == 0) return false;
  try {
    m_scratch.assign(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(ready));
  } catch (const std::bad_alloc&) {
    return false;  // out of memory: they stay queued, for a later call
  }
  m_entries.erase(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(ready));
  return true;
}

bool DeferredQueue::adopt(DeferredQueue& from) {
  if (from.m_entries.empty()) return true;
  if (m_entries.empty()) {
    m_entries.swap(from.m_entries);
    return true;
  }
  std::vector<Deferred> merged;
  try {
    merged.reserve(m_entries.size() + from.m_entries.size());
  } catch (const std::bad_alloc&) {
    return false;
  }
  std::merge(m_entries.begin(), m_entries.end(), from.m_entries.begin(), from.m_entries.end(),
             std::back_inserter(merged), goal_less);
  m_entries.swap(merged);
  std::vector<Deferred>().swap(from.m_entries);
  return true;
}

bool DeferredQueue::take_ready(sync::Qsbr& qsbr, DeferredQueue* out) {
  std::size_t ready = ready_prefix(qsbr);
  if (ready == 0) return true;
  DeferredQueue batch;
  try {
    batch.m_entries.assign(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(ready));
  } catch (const std::bad_alloc&) {
    return false;
  }
  if (!out->adopt(batch)) return false;
  m_entries.erase(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(ready));
  return true;
}

void DeferredQueue::trim() {
  if (m_entries.empty()) std::vector<Deferred>().swap(m_entries);
  if (!m_releasing) std::vector<Deferred>().swap(m_scratch);
}

}  // namespace ftpy::alloc
