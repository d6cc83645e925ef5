// types_internal.h: for the files that define a type or read a built-in type's layout (the
// type files in objects/, and in the stages above: code objects, the VM's caches and types,
// the modules); not for front/ or text/, which know no objects. Object layouts, the dict
// table's layout (which the VM's attribute caches read), type set-up, the deferred-dealloc
// "trashcan" and small inline helpers. Same thread rules as object.h; the container protocol
// (lock-free reads, biased writes) is containers.h.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "interp/objects/containers.h"
#include "interp/objects/object.h"
#include "interp/objects/vm_state.h"
#include "runtime/thread_state.h"
#include "sync/cpu.h"
#include "sync/critical_section.h"

namespace ftpy::interp {

// --- instance dicts -----------------------------------------------------------------------
// An instance's __dict__ pointer (null until the first attribute store). Set once by CAS
// (instance_dict_get_or_create), so readers load it atomically.
inline DictObject* instance_dict_load(Value obj) {
  return __atomic_load_n(&reinterpret_cast<InstanceObject*>(obj.obj())->dict, __ATOMIC_ACQUIRE);
}
// *dictp, created if null (one winner when threads race). null with MemoryError set.
DictObject* dict_slot_create(DictObject** dictp);
inline DictObject* dict_slot_get_or_create(DictObject** dictp) {
  DictObject* d = __atomic_load_n(dictp, __ATOMIC_ACQUIRE);
  return d ? d : dict_slot_create(dictp);
}
inline DictObject* instance_dict_get_or_create(Value obj) {
  return dict_slot_get_or_create(&reinterpret_cast<InstanceObject*>(obj.obj())->dict);
}

// --- layouts private to the built-in types --------------------------------------------------
struct RangeObject {
  Object header;
  std::int64_t start, stop, step;
  std::uint64_t length;  // up to 2**64 - 1
};
Value range_reversed(Value range);
Value new_memory_error();  // a fresh MemoryError(), or null (nothing raised) out of memory  // reversed(range): a range_iterator from the last item
struct BuiltinFunctionObject {
  Object header;
  const char* name;
  NativeMethodFn fn;
  Value self;  // owned; none() for module-level functions
};
struct MethodDescrObject {
  Object header;
  const char* name;
  NativeMethodFn fn;
  TypeObject* owner;
};
struct GetSetDescrObject {
  Object header;
  const char* name;
  GetterFn get;
  SetterFn set;
  TypeObject* owner;
};

extern TypeObject g_list_iter_type, g_tuple_iter_type, g_str_iter_type, g_range_iter_type,
    g_dict_iter_type, g_dict_keys_type, g_dict_values_type, g_dict_items_type,
    g_enumerate_type, g_zip_type, g_map_type, g_filter_type, g_reversed_type, g_seq_iter_type;

// Attribute access through a descriptor lookup on the type and an optional instance dict
// (*dictp, created on first store; dictp null: the type has no instance dict). CPython's
// messages: "'T' object has no attribute 'a'", "'T' object attribute 'a' is read-only".
Value generic_getattr_dict(Value self, DictObject** dictp, StrObject* name);
int generic_setattr_dict(Value self, DictObject** dictp, StrObject* name, Value value);

// `x op y` for two values of one C++ type, compared directly (not three-way), so that NaN
// compares false with everything as Python requires.
template <class T>
bool compare_op(CompareOp op, T x, T y) {
  switch (op) {
    case CompareOp::Lt: return x < y;
    case CompareOp::Le: return x <= y;
    case CompareOp::Eq: return x == y;
    case CompareOp::Ne: return x != y;
    case CompareOp::Gt: return x > y;
    case CompareOp::Ge: return x >= y;
  }
  return false;
}

// --- dict layout (dict_type.cpp owns it; the VM's attribute caches read it) ----------------
struct DictEntry {
  std::int64_t hash;
  Value key;  // null: deleted
  Value value;
};
struct DictKeys {
  std::size_t nslots;
  std::size_t usable;
  std::size_t nentries;
  // Every key is plain (dict_type.cpp's is_plain_key: comparing runs no Python code), so
  // lookups are short sections (ObjectLock). Cleared for good when another key is added, by a
  // writer of the dict (lock held, or the owner of an unshared dict); read without the lock
  // (relaxed) only to choose a short section, which the lock or ownership then confirms.
  bool plain_only;
  std::int32_t* indices() { return reinterpret_cast<std::int32_t*>(this + 1); }
  DictEntry* entries() { return reinterpret_cast<DictEntry*>(indices() + nslots); }
};
// The order in which every walk of a keys table visits its index slots (CPython's open
// addressing): the hash's own slot, then i = 5i + perturb + 1, perturb shifted right by 5 each
// step, so all of the hash's bits take part.
struct DictProbe {
  std::size_t mask;
  std::size_t i;
  std::uint64_t perturb;
  DictProbe(std::size_t nslots, std::int64_t hash)
      : mask(nslots - 1), i(std::size_t(hash) & mask), perturb(std::uint64_t(hash)) {}
  void next() {
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
};

// Attribute caches with an entry-index hint (CPython 3.11's LOAD_ATTR_WITH_HINT): instances
// of a class usually insert their attributes in the same order, so the entry index of a name
// found once is right for the next instance too. A hit is validated by the interned key's
// pointer in that entry, so a stale hint is only a miss. dict_str_slot returns the value slot
// of interned `key` (borrowed; valid until d next changes) or null when the key is absent or
// only an equal-but-not-identical key could match (callers then take the generic path); the
// probe refreshes *hint.
Value* dict_str_slot_slow(DictObject* d, StrObject* key, std::uint32_t* hint);
// Lock-free: read the slot with slot_load; the value stays valid until the next safe point.
// The _marked form is for a caller that has checked needs_shared_mark (below) already.
// The hint's slot when its entry holds `key`, else null (no probe).
[[gnu::always_inline]] inline Value* dict_str_hinted_slot(DictObject* d, StrObject* key,
                                                         const std::uint32_t* hint) {
  DictKeys* k = d->keys.load(std::memory_order_acquire);
  std::uint32_t h = __atomic_load_n(hint, __ATOMIC_RELAXED);
  if (k && h < __atomic_load_n(&k->nentries, __ATOMIC_ACQUIRE)) {
    DictEntry& e = k->entries()[h];
    if (slot_load(&e.key).obj() == &key->header) return &e.value;
  }
  return nullptr;
}
[[gnu::always_inline]] inline Value* dict_str_slot_marked(DictObject* d, StrObject* key,
                                                          std::uint32_t* hint) {
  if (Value* v = dict_str_hinted_slot(d, key, hint)) return v;
  return dict_str_slot_slow(d, key, hint);
}
[[gnu::always_inline]] inline Value* dict_str_slot(DictObject* d, StrObject* key,
                                                   std::uint32_t* hint) {
  ensure_shared(&d->header);
  return dict_str_slot_marked(d, key, hint);
}
// d[key] = value for interned `key`, recording the entry index in *hint. -1 on error.
int dict_set_str_hint(DictObject* d, StrObject* key, Value value, std::uint32_t* hint);
// True when interned `key` is certainly absent from d: its probe chain (dict_type.cpp's
// lookup order) reaches an empty slot without passing an entry of the same hash. False:
// present or unknown (the caller then looks it up). Lock-free: the keys table stays valid
// until the next safe point (QSBR) and an index is published after its entry (release).
[[gnu::always_inline]] inline bool dict_str_absent_quick(DictObject* d, StrObject* key) {
  DictKeys* k = d->keys.load(std::memory_order_acquire);
  if (!k) return true;
  std::int64_t h = key->hash.load(std::memory_order_relaxed);
  if (!h) return false;
  for (DictProbe p(k->nslots, h); ; p.next()) {
    std::int32_t ix = __atomic_load_n(&k->indices()[p.i], __ATOMIC_ACQUIRE);
    if (ix == -1) return true;  // dict_type's k_empty
    if (ix >= 0 && __atomic_load_n(&k->entries()[ix].hash, __ATOMIC_RELAXED) == h) return false;
  }
}
// dict_str_slot for a store: a key that the probe chain proves absent (a new attribute) skips
// the slow lookup, since the caller inserts it next anyway.
[[gnu::always_inline]] inline Value* dict_str_slot_for_store(DictObject* d, StrObject* key,
                                                             std::uint32_t* hint) {
  ensure_shared(&d->header);
  if (Value* v = dict_str_hinted_slot(d, key, hint)) return v;
  if (dict_str_absent_quick(d, key)) return nullptr;
  return dict_str_slot_slow(d, key, hint);
}
// True when no lookup in d can run Python code (see DictKeys::plain_only).
inline bool dict_plain_only(DictObject* d) {
  DictKeys* k = d->keys.load(std::memory_order_acquire);
  return !k || __atomic_load_n(&k->plain_only, __ATOMIC_RELAXED);
}

// Replaces the value in a slot that dict_str_slot returned, under the dict's lock (taken
// before the dict_str_slot call), keeping the version invariant.
void dict_replace_at(DictObject* d, Value* slot, Value value);

// --- type set-up --------------------------------------------------------------------------
// Fills the common fields of a static type: immortal header, rt, base, an empty class dict,
// the interned name, a version tag, native_getattr. `gc` adds the k_gc runtime flag.
bool setup_type(TypeObject* t, const char* name, TypeObject* base, std::size_t size,
                bool gc, void (*dealloc)(Object*));
bool init_int_types();
void init_singletons_early();
bool init_str_type_early();
bool init_dict_type_early();
std::int64_t hash_int64(std::int64_t v);
std::int64_t hash_double(double v, Value self);
bool init_float_type();
// The float free list (vm_state.h's FloatFreeList, in the calling thread's VmThread): push
// takes a dead exact float whose counts are zero and ob_tid this thread's (false: the list is
// full, free it yourself); pop returns such a block, or null. Inline for the eval loop.
[[gnu::always_inline]] inline bool float_free_push(VmThread* vt, Object* o) {
  FloatFreeList& l = vt->float_free;
  if (l.n >= FloatFreeList::k_max) return false;
  l.items[l.n++] = o;
  return true;
}
[[gnu::always_inline]] inline Object* float_free_pop(VmThread* vt) {
  FloatFreeList& l = vt->float_free;
  return l.n ? l.items[--l.n] : nullptr;
}
// Frees the floats this thread state keeps for reuse (at thread-state teardown, attached).
void release_float_cache();
bool init_str_type();
bool init_tuple_type();
bool init_list_type();
bool init_dict_type();
bool init_range_type();
bool init_iter_types();
bool init_native_types();
bool init_exception_types();
// Sets up a static exception class `name` deriving from `base` (an exception class), as the
// built-in ones are: immortal, shared by every interpreter. Start-up only.
bool define_exception_type(TypeObject* t, const char* name, TypeObject* base);

// --- GC helpers ---------------------------------------------------------------------------
inline int visit_value(Value v, runtime::VisitFn visit, void* arg) {
  if (v.is_object()) return visit(v.obj(), arg);
  return 0;
}
#define FTPY_VISIT(v)                                  \
  do {                                                 \
    if (int r_ = visit_value((v), visit, arg)) return r_; \
  } while (0)

// Trashcan: container deallocs call trashcan_begin first; when the dealloc nesting on this
// thread is too deep it queues the object (linked through ob_tid, dead anyway) and returns
// false; the outermost trashcan_end frees the queue iteratively. (CPython's Py_TRASHCAN.)
bool trashcan_begin(Object* o);
void trashcan_end();

// --- raw memory (Mem heap of the current thread state) -----------------------------------
void* mem_alloc(std::size_t n);
void mem_free(void* p);

// --- misc helpers ---------------------------------------------------------------------------
inline bool is_exact(Value v, const TypeObject* t) {
  return v.is_object() && v.obj()->ob_type == &t->rt;
}
inline bool is_int(Value v) {
  return v.is_small_int() || (type_of(v)->tp_flags & k_tp_int_subclass);
}
inline bool is_float(Value v) { return v.is_object() && v.obj()->ob_type == &g_float_type.rt; }
inline double float_value(Value v) { return reinterpret_cast<FloatObject*>(v.obj())->value; }
inline bool is_list(Value v) { return is_exact(v, &g_list_type); }
inline bool is_tuple(Value v) { return is_exact(v, &g_tuple_type); }
inline bool is_dict(Value v) { return is_exact(v, &g_dict_type); }

// Converts an index-like value to int64 (int or bool); TypeError naming `what` otherwise.
// Python's // and % on int64 (rounding toward negative infinity; the sign of % is the
// divisor's). b != 0; the caller handles INT64_MIN // -1.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
inline std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  std::int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}
bool index_value(Value v, std::int64_t* out, const char* what);
// Normalises a possibly-negative index against len; false when out of range.
inline bool normalize_index(std::int64_t* i, std::int64_t len) {
  if (*i < 0) *i += len;
  return *i >= 0 && *i < len;
}
// Resolves a slice against len (CPython's PySlice_Unpack + AdjustIndices); -1 on error.
int slice_indices(Value slice, std::int64_t len, std::int64_t* start, std::int64_t* stop,
                  std::int64_t* step, std::int64_t* slicelen);

// repr with a recursion guard for containers: returns 1 if `v` is already being printed on
// this thread (the caller prints "[...]"), 0 if entered, -1 on error.
int repr_enter(Value v);
void repr_leave(Value v);

// Interned names used by several files (filled by init_builtin_types).
struct Names {
  StrObject *dunder_class, *dunder_name, *dunder_init, *dunder_str, *dunder_repr, *write,
      *key, *reverse, *args, *code, *value, *sep, *end, *file, *flush, *dunder_reversed,
      *dunder_len, *dunder_getitem, *start, *default_, *keys, *dunder_dict;
};
extern Names g_names;

// Small-int fast paths.
inline std::int64_t int_value_unchecked(Value v) {
  if (v.is_small_int()) return v.small_value();
  if (v.obj()->ob_type == &g_bool_type.rt) return v.obj() == &g_true_obj;
  return reinterpret_cast<IntObject*>(v.obj())->value;
}

// Used by the str, float and int files for float <-> string.
Value float_from_string(std::string_view s);
Value int_from_string(std::string_view s, int base);
Value str_join_values(std::string_view sep, const Value* items, std::size_t n);

// Whether v is a class: an instance of `type` or of a subclass of it (a metaclass); as_type
// then views it as one.
bool is_type(Value v);
inline TypeObject* as_type(Value v) { return reinterpret_cast<TypeObject*>(v.obj()); }
// Raises numfmt's error: kind is numfmt::ErrorKind as an int (Value, Overflow, Memory).
Value raise_format_error(int kind, const std::string& message);
std::int64_t identity_hash(Value v);

}  // namespace ftpy::interp
