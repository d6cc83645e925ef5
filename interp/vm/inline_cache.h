// inline_cache.h: the one way the VM reads and fills a code object's inline caches (code.h's
// InlineCache): LOAD_GLOBAL's (globals dict, both dict versions) -> value; LOAD_ATTR,
// STORE_ATTR and LOAD_METHOD's type version -> (descriptor, kind); LOAD_METHOD's module dict
// version -> attribute. Every thread running a code object reads and fills its caches; each
// entry is a sync::SeqLock (sync/seqlock.h has the memory-order contract), so a read returns
// one fill's fields or a miss. A borrowed value in an entry stays valid while the version
// beside it matches, and for the rest of this thread's safe-point interval after that (dicts
// read this way are shared: their unlinked values are released through QSBR).
// Included by vm.cpp only; everything is forced inline (the eval loop's fast paths).
#pragma once
#include <cstdint>

#include "interp/compile/code.h"
#include "sync/seqlock.h"

namespace ftpy::interp::inline_cache {

enum AttrKind : std::uint8_t { k_attr_empty = 0, k_attr_instance = 1, k_attr_data_descr = 2 };

[[gnu::always_inline]] inline Value load(const Value& f) { return Value{sync::seq_load(f.bits)}; }
[[gnu::always_inline]] inline void store(Value& f, Value v) { sync::seq_store(f.bits, v.bits); }

// LOAD_GLOBAL: the value cached for `globals` at these dict versions (borrowed), or null.
[[gnu::always_inline]] inline Value global_read(const InlineCache* c, const void* globals,
                                                std::uint64_t gv, std::uint64_t bv) {
  std::uint32_t s = c->seq.read_begin();
  Value cv = load(c->value);
  bool hit = sync::seq_load(c->globals) == globals && sync::seq_load(c->globals_version) == gv &&
             sync::seq_load(c->builtins_version) == bv && cv;
  return hit && c->seq.read_valid(s) ? cv : Value::null();
}
[[gnu::always_inline]] inline void global_fill(InlineCache* c, const void* globals,
                                               std::uint64_t gv, std::uint64_t bv, Value v) {
  if (sync::SeqWrite w(c->seq); w.ok()) {
    sync::seq_store(c->globals, globals);
    sync::seq_store(c->globals_version, gv);
    sync::seq_store(c->builtins_version, bv);
    store(c->value, v);
  }
}

// LOAD_METHOD on a module: the attribute cached for module dict `md` at version mv
// (borrowed), or null. Such an entry has type version 0, so attr_read misses on it.
[[gnu::always_inline]] inline Value module_read(const InlineCache* c, const void* md,
                                                std::uint64_t mv) {
  std::uint32_t s = c->seq.read_begin();
  Value v = sync::seq_load(c->globals) == md && sync::seq_load(c->globals_version) == mv
                ? load(c->value)
                : Value::null();
  return v && c->seq.read_valid(s) ? v : Value::null();
}
[[gnu::always_inline]] inline void module_fill(InlineCache* c, const void* md, std::uint64_t mv,
                                               Value v) {
  if (sync::SeqWrite w(c->seq); w.ok()) {
    sync::seq_store(c->type_version, std::uint32_t(0));  // no type entry now
    sync::seq_store(c->globals, md);
    sync::seq_store(c->globals_version, mv);
    store(c->value, v);
  }
}

// A type-keyed entry: version 0 when the entry is empty, holds a module entry, or was read
// while a thread filled it (a miss in every case: version 0 is never a type's).
struct AttrEntry {
  std::uint32_t version;
  Value descr;  // borrowed: the type's attribute (maybe null: none)
  std::uint8_t kind;
};
[[gnu::always_inline]] inline AttrEntry attr_read(const InlineCache* c) {
  std::uint32_t s = c->seq.read_begin();
  AttrEntry e{sync::seq_load(c->type_version), load(c->value), sync::seq_load(c->kind)};
  if (!c->seq.read_valid(s)) e.version = 0;
  return e;
}
// STORE_ATTR needs only the version: one field, which no fill can tear.
[[gnu::always_inline]] inline std::uint32_t attr_version(const InlineCache* c) {
  return sync::seq_load(c->type_version);
}
[[gnu::always_inline]] inline void attr_fill(InlineCache* c, std::uint32_t version, Value descr,
                                             std::uint8_t kind) {
  if (sync::SeqWrite w(c->seq); w.ok()) {
    sync::seq_store(c->globals, static_cast<const void*>(nullptr));  // no module entry now
    sync::seq_store(c->type_version, version);
    store(c->value, descr);
    sync::seq_store(c->kind, kind);
  }
}

}  // namespace ftpy::interp::inline_cache
