// ptr_set.cpp: PtrSet's probing, growth and backward-shift deletion (Knuth's Algorithm R:
// after removing a slot, later entries of the same run move back so no lookup stops early).
#include "alloc/ptr_set.h"

#include <cstdlib>

namespace ftpy::alloc {

PtrSet::~PtrSet() { std::free(m_slots); }

void PtrSet::clear() {
  std::free(m_slots);
  m_slots = nullptr;
  m_cap = 0;
  m_size = 0;
}

std::size_t PtrSet::find(const void* p) const {
  std::size_t i = home(p);
  while (m_slots[i] && m_slots[i] != p) i = (i + 1) & (m_cap - 1);
  return i;
}

bool PtrSet::rehash(std::size_t cap) {
  void** slots = static_cast<void**>(std::calloc(cap, sizeof(void*)));
  if (!slots) return false;
  void** old = m_slots;
  std::size_t old_cap = m_cap;
  m_slots = slots;
  m_cap = cap;
  for (std::size_t i = 0; i < old_cap; i++)
    if (old[i]) m_slots[find(old[i])] = old[i];
  std::free(old);
  return true;
}

bool PtrSet::reserve(std::size_t n) {
  std::size_t cap = m_cap ? m_cap : k_min_cap;
  while (cap / 2 < n) cap *= 2;
  return cap == m_cap || rehash(cap);
}

bool PtrSet::insert(void* p) {
  if (!reserve(m_size + 1)) return false;
  std::size_t i = find(p);
  if (m_slots[i] == p) return true;
  m_slots[i] = p;
  m_size++;
  return true;
}

bool PtrSet::erase(const void* p) {
  if (m_size == 0) return false;
  std::size_t i = find(p);
  if (m_slots[i] != p) return false;
  m_slots[i] = nullptr;
  m_size--;
  // Move back every later entry of the run whose home is not in (i, j].
  std::size_t j = i;
  for (;;) {
    j = (j + 1) & (m_cap - 1);
    if (!m_slots[j]) return true;
    std::size_t h = home(m_slots[j]);
    bool stays = (i <= j) ? (i < h && h <= j) : (i < h || h <= j);
    if (!stays) {
      m_slots[i] = m_slots[j];
      m_slots[j] = nullptr;
      i = j;
    }
  }
}

}  // namespace ftpy::alloc
