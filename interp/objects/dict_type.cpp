// dict_type.cpp: dict — CPython's compact ordered table. DictKeys holds a power-of-two index
// array (int32: -1 empty, -2 deleted) followed by the entries in insertion order; a deleted
// entry keeps its slot with a null key until the next resize compacts them. Invariants:
// nentries <= usable = 2/3 * nslots; used (on DictObject) counts entries with a key. An
// empty dict has no DictKeys. str keys are compared by pointer, then hash and bytes; any
// other key by hash then ==, restarting when a comparison changed the table. version
// changes on every mutation. Views (keys/values/items) and iterators live here too.
// Threads: mutations hold the dict's critical section (ObjectLock). Lookups of keys whose
// comparison runs no Python code (str, int, float, bool, None) are lock-free (find_lockfree);
// other keys are looked up under the lock. For the lock-free readers, entries are appended and
// never reused while they may look (popitem does not shrink a shared table), a new entry is
// published by a release store of its index, and entry fields of a live table change only by
// atomic stores (slot_store). See containers.h for the reclamation rules.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_dict_type;
TypeObject g_dict_iter_type, g_dict_keys_type, g_dict_values_type, g_dict_items_type;

// DictEntry and DictKeys are laid out in types_internal.h (the VM's attribute caches read them).

namespace {

constexpr std::int32_t k_empty = -1, k_dummy = -2;

inline DictObject* D(Value v) { return reinterpret_cast<DictObject*>(v.obj()); }
inline DictKeys* keys_of(DictObject* d) { return d->keys.load(std::memory_order_relaxed); }
// Writers are exclusive (they hold the lock, or are the owner of an unshared dict), so a
// plain increment: no read-modify-write instruction on every store.
inline void bump(DictObject* d) {
  d->version.store(d->version.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
inline std::size_t used_of(const DictObject* d) { return __atomic_load_n(&d->used, __ATOMIC_RELAXED); }
inline void set_used(DictObject* d, std::size_t n) { __atomic_store_n(&d->used, n, __ATOMIC_RELAXED); }
inline std::int32_t index_load(DictKeys* k, std::size_t i) {
  return __atomic_load_n(&k->indices()[i], __ATOMIC_ACQUIRE);
}
inline void index_store(DictKeys* k, std::size_t i, std::int32_t v) {
  __atomic_store_n(&k->indices()[i], v, __ATOMIC_RELEASE);
}

DictKeys* new_keys(std::size_t nslots) {
  std::size_t usable = nslots * 2 / 3;
  std::size_t bytes = sizeof(DictKeys) + nslots * sizeof(std::int32_t) + usable * sizeof(DictEntry);
  auto* k = static_cast<DictKeys*>(mem_alloc(bytes));
  if (!k) return nullptr;
  k->nslots = nslots;
  k->usable = usable;
  k->nentries = 0;
  k->plain_only = true;
  std::memset(k->indices(), 0xff, nslots * sizeof(std::int32_t));
  return k;
}

inline bool str_key_eq(StrObject* a, StrObject* b) {
  if (a == b) return true;
  if (a->byte_length != b->byte_length || (a->interned && b->interned)) return false;
  return std::memcmp(a->data, b->data, a->byte_length) == 0;
}

// Finds `key` (lock held): returns its entry index or -1; *slot gets the index slot where it
// is or where it would go (the first deleted slot seen, else the empty one). -2 on error.
std::int64_t lookup(DictObject* d, Value key, std::int64_t hash, std::size_t* slot) {
restart:
  DictKeys* k = keys_of(d);
  if (!k) return -1;
  std::size_t free_slot = SIZE_MAX;
  bool key_is_str = is_exact(key, &g_str_type);
  for (DictProbe p(k->nslots, hash); ; p.next()) {
    std::size_t i = p.i;
    std::int32_t ix = k->indices()[i];
    if (ix == k_empty) {
      *slot = free_slot != SIZE_MAX ? free_slot : i;
      return -1;
    }
    if (ix == k_dummy) {
      if (free_slot == SIZE_MAX) free_slot = i;
    } else {
      DictEntry& e = k->entries()[ix];
      if (e.key == key) {
        *slot = i;
        return ix;
      }
      if (e.hash == hash) {
        if (key_is_str && is_exact(e.key, &g_str_type)) {
          if (str_key_eq(as_str(e.key), as_str(key))) {
            *slot = i;
            return ix;
          }
        } else {
          Value ek = newref(e.key);
          int r = richcompare_bool(ek, key, CompareOp::Eq);
          decref(ek);
          if (r < 0) return -2;
          if (keys_of(d) != k || k->entries()[ix].key != ek) goto restart;
          if (r) {
            *slot = i;
            return ix;
          }
        }
      }
    }
  }
}

// Rebuilds the table with room for at least `min_used` entries, dropping deleted ones.
bool resize(DictObject* d, std::size_t min_used) {
  std::size_t nslots = 8;
  while (nslots * 2 / 3 < min_used) nslots <<= 1;
  DictKeys* nk = new_keys(nslots);
  if (!nk) return false;
  DictKeys* ok = keys_of(d);
  if (ok) {
    DictEntry* src = ok->entries();
    DictEntry* dst = nk->entries();
    std::size_t n = 0;
    for (std::size_t j = 0; j < ok->nentries; j++) {
      if (!src[j].key) continue;
      dst[n] = src[j];
      DictProbe p(nslots, src[j].hash);
      while (nk->indices()[p.i] != k_empty) p.next();
      nk->indices()[p.i] = std::int32_t(n);
      n++;
    }
    nk->nentries = n;
    nk->plain_only = ok->plain_only;
  }
  d->keys.store(nk, std::memory_order_release);
  free_unlinked_mem(Value::from(&d->header), ok);
  return true;
}

inline bool is_plain_key(Value v);

// Inserts or replaces (lock held); steals nothing (increfs key and value as needed).
int insert(DictObject* d, Value key, std::int64_t hash, Value value) {
  std::size_t slot = 0;
  std::int64_t ix = keys_of(d) ? lookup(d, key, hash, &slot) : -1;  // empty: nothing to find
  if (ix == -2) return -1;
  if (ix >= 0) {
    DictEntry& e = keys_of(d)->entries()[ix];
    Value old = e.value;
    slot_store(&e.value, newref(value));
    bump(d);
    release_unlinked(Value::from(&d->header), old);
    return 0;
  }
  DictKeys* k = keys_of(d);
  if (!k || k->nentries >= k->usable) {
    if (!resize(d, (d->used + 1) * 3 / 2 + 1)) return raise_no_memory(), -1;
    k = keys_of(d);
    lookup(d, key, hash, &slot);  // cannot fail: no equal key exists (identity probe only)
  }
  std::size_t n = k->nentries;
  DictEntry& e = k->entries()[n];
  if (k->plain_only && !is_plain_key(key)) __atomic_store_n(&k->plain_only, false, __ATOMIC_RELAXED);
  // Filled before its index is published (index_store is a release store).
  __atomic_store_n(&e.hash, hash, __ATOMIC_RELAXED);
  slot_store(&e.key, newref(key));
  slot_store(&e.value, newref(value));
  __atomic_store_n(&k->nentries, n + 1, __ATOMIC_RELAXED);
  index_store(k, slot, std::int32_t(n));
  set_used(d, d->used + 1);
  bump(d);
  return 0;
}

// True when comparing `v` with another such key runs no Python code.
inline bool is_plain_key(Value v) {
  if (v.is_small_int()) return true;
  const runtime::Type* t = v.obj()->ob_type;
  return t == &g_str_type.rt || t == &g_int_type.rt || t == &g_float_type.rt ||
         t == &g_bool_type.rt || v == none();
}

// Whether a write section for `key` in `dict` is short (ObjectLock): no comparison in it can
// run Python code.
inline bool short_for(Value dict, Value key) {
  return is_plain_key(key) && dict_plain_only(D(dict));
}

// Lock-free lookup of a plain key (see the top): the value, borrowed (valid until this
// thread's next safe point), or null if absent; *locked is set when the caller must look
// again under the lock (an entry with an equal hash holds a key that is not plain).
Value find_lockfree(DictObject* d, Value key, std::int64_t h, bool* locked) {
  ensure_shared(&d->header);
  DictKeys* k = d->keys.load(std::memory_order_acquire);
  if (!k) return Value::null();
  bool key_is_str = is_exact(key, &g_str_type);
  for (DictProbe p(k->nslots, h); ; p.next()) {
    std::int32_t ix = index_load(k, p.i);
    if (ix == k_empty) return Value::null();
    if (ix >= 0) {
      DictEntry& e = k->entries()[ix];
      Value ek = slot_load(&e.key);
      if (ek && (ek == key || __atomic_load_n(&e.hash, __ATOMIC_RELAXED) == h)) {
        int eq;
        if (ek == key) eq = 1;
        else if (key_is_str && is_exact(ek, &g_str_type)) eq = str_key_eq(as_str(ek), as_str(key));
        else if (!is_plain_key(ek)) eq = -1;
        else eq = richcompare_bool(ek, key, CompareOp::Eq);
        if (eq < 0) {
          clear_error();
          *locked = true;
          return Value::null();
        }
        if (eq) {
          Value v = slot_load(&e.value);
          if (!v) *locked = true;  // removed as we looked: ask again under the lock
          return v;
        }
      }
    }
  }
}

Value raise_key_error(Value key) {
  Value t = make_tuple_from(&key, 1);
  if (!t) return t;
  Value e = make_exception(&g_KeyError, t);
  decref(t);
  if (!e) return e;
  restore_error(e);
  return Value::null();
}

}  // namespace

Value make_dict() {
  Object* o = runtime::alloc_object(&g_dict_type.rt, sizeof(DictObject));
  if (!o) return raise_no_memory();
  runtime::gc_track(o);
  return Value::from(o);
}

std::size_t dict_size(Value dict) { return used_of(D(dict)); }

namespace {
// dict_get with the hash known.
Value get_hashed(Value dict, Value key, std::int64_t h) {
  if (is_plain_key(key)) {
    bool locked = false;
    Value v = find_lockfree(D(dict), key, h, &locked);
    if (!locked) return v;
  }
  ObjectLock lock(dict);  // a key that is not plain: comparisons may run Python code
  std::size_t slot;
  std::int64_t ix = lookup(D(dict), key, h, &slot);
  if (ix < 0) return Value::null();
  return keys_of(D(dict))->entries()[ix].value;
}
}  // namespace

Value dict_get(Value dict, Value key) {
  std::int64_t h = hash(key);
  if (h == -1) return Value::null();
  return get_hashed(dict, key, h);
}

Value dict_get_str(Value dict, StrObject* key) {
  std::int64_t h = key->hash.load(std::memory_order_relaxed);
  if (!h) h = hash(Value::from(&key->header));
  return get_hashed(dict, Value::from(&key->header), h);
}

int dict_setitem(Value dict, Value key, Value value) {
  std::int64_t h = hash(key);
  if (h == -1) return -1;
  ObjectLock lock(dict, short_for(dict, key));
  return insert(D(dict), key, h, value);
}

int dict_setitem_str(Value dict, StrObject* key, Value value) {
  return dict_setitem(dict, Value::from(&key->header), value);
}

Value* dict_str_slot_slow(DictObject* d, StrObject* key, std::uint32_t* hint) {
  DictKeys* k = d->keys.load(std::memory_order_acquire);
  std::int64_t h = key->hash.load(std::memory_order_relaxed);
  if (!k || !h) return nullptr;
  for (DictProbe p(k->nslots, h); ; p.next()) {
    std::int32_t ix = index_load(k, p.i);
    if (ix == k_empty) return nullptr;
    if (ix >= 0) {
      DictEntry& e = k->entries()[ix];
      Value ek = slot_load(&e.key);
      if (ek.obj() == &key->header) {
        __atomic_store_n(hint, std::uint32_t(ix), __ATOMIC_RELAXED);
        return &e.value;
      }
      // An equal non-identical key: the generic path decides.
      if (ek && __atomic_load_n(&e.hash, __ATOMIC_RELAXED) == h) return nullptr;
    }
  }
}

int dict_set_str_hint(DictObject* d, StrObject* key, Value value, std::uint32_t* hint) {
  Value dict = Value::from(&d->header);
  std::int64_t h = key->hash.load(std::memory_order_relaxed);
  if (!h && (h = hash(Value::from(&key->header))) == -1) return -1;
  ObjectLock lock(dict, dict_plain_only(d));  // str key
  if (insert(d, Value::from(&key->header), h, value) < 0) return -1;
  DictKeys* k = keys_of(d);
  // A new key lands in the last entry; a replaced one keeps its index (found on the next miss).
  if (k->nentries && k->entries()[k->nentries - 1].key.obj() == &key->header)
    __atomic_store_n(hint, std::uint32_t(k->nentries - 1), __ATOMIC_RELAXED);
  return 0;
}

void dict_replace_at(DictObject* d, Value* slot, Value value) {
  Value dict = Value::from(&d->header);
  Value old = *slot;
  slot_store(slot, newref(value));
  bump(d);
  release_unlinked(dict, old);
}

namespace {
// Removes entry ix at slot (lock held); returns the value (the caller's reference: see
// take_unlinked) and drops the key.
Value remove_entry(DictObject* d, std::size_t slot, std::int64_t ix) {
  Value dict = Value::from(&d->header);
  DictKeys* k = keys_of(d);
  DictEntry& e = k->entries()[ix];
  Value key = e.key, value = e.value;
  slot_store(&e.key, Value::null());
  slot_store(&e.value, Value::null());
  index_store(k, slot, k_dummy);
  set_used(d, d->used - 1);
  bump(d);
  release_unlinked(dict, key);
  return take_unlinked(dict, value);
}
}  // namespace

int dict_delitem(Value dict, Value key) {
  std::int64_t h = hash(key);
  if (h == -1) return -1;
  ObjectLock lock(dict, short_for(dict, key));
  std::size_t slot;
  std::int64_t ix = lookup(D(dict), key, h, &slot);
  if (ix == -2) return -1;
  if (ix < 0) return raise_key_error(key), -1;
  decref(remove_entry(D(dict), slot, ix));
  return 0;
}

bool dict_next(Value dict, std::size_t* pos, Value* key, Value* value) {
  ObjectLock lock(dict, k_short);
  DictKeys* k = keys_of(D(dict));
  if (!k) return false;
  while (*pos < k->nentries) {
    DictEntry& e = k->entries()[(*pos)++];
    if (e.key) {
      if (key) *key = e.key;
      if (value) *value = e.value;
      return true;
    }
  }
  return false;
}

Value dict_copy(Value dict) {
  Value r = make_dict();
  if (!r) return r;
  DictObject* d = D(dict);
  ObjectLock lock(dict, dict_plain_only(d));
  if (d->used && !resize(D(r), d->used)) {
    decref(r);
    return raise_no_memory();
  }
  std::size_t pos = 0;
  Value k, v;
  while (dict_next(dict, &pos, &k, &v)) {
    DictEntry& e = keys_of(d)->entries()[pos - 1];
    if (insert(D(r), k, e.hash, v) < 0) {
      decref(r);
      return Value::null();
    }
  }
  return r;
}

int dict_update(Value dict, Value other) {
  if (is_dict(other)) {
    ObjectLock2 lock(dict, other, dict_plain_only(D(dict)) && dict_plain_only(D(other)));
    std::size_t pos = 0;
    Value k, v;
    while (dict_next(other, &pos, &k, &v)) {
      DictEntry& e = keys_of(D(other))->entries()[pos - 1];
      Value kk = newref(k), vv = newref(v);
      int r = insert(D(dict), kk, e.hash, vv);
      decref(kk);
      decref(vv);
      if (r < 0) return -1;
    }
    return 0;
  }
  // A mapping: anything with keys(); else an iterable of pairs.
  Value keys_fn = getattr(other, g_names.keys);
  if (keys_fn) {
    Value ks = call0(keys_fn);
    decref(keys_fn);
    if (!ks) return -1;
    Value l = list_from_iterable(ks);
    decref(ks);
    if (!l) return -1;
    for (std::size_t i = 0; i < list_size(l); i++) {
      Value k = list_data(l)[i];
      Value v = getitem(other, k);
      if (!v || dict_setitem(dict, k, v) < 0) {
        xdecref(v);
        decref(l);
        return -1;
      }
      decref(v);
    }
    decref(l);
    return 0;
  }
  if (!error_matches(&g_AttributeError)) return -1;
  clear_error();
  Value it = get_iter(other);
  if (!it) return -1;
  std::size_t n = 0;
  for (;; n++) {
    Value item = iter_next(it);
    if (!item) break;
    Value seq = list_from_iterable(item);
    if (!seq) {
      decref(item);
      decref(it);
      if (error_matches(&g_TypeError)) {
        clear_error();
        raise_fmt(&g_TypeError,
                  "cannot convert dictionary update sequence element #{} to a sequence", n);
      }
      return -1;
    }
    decref(item);
    if (list_size(seq) != 2) {
      raise_fmt(&g_ValueError,
                "dictionary update sequence element #{} has length {}; 2 is required", n,
                list_size(seq));
      decref(seq);
      decref(it);
      return -1;
    }
    int r = dict_setitem(dict, list_data(seq)[0], list_data(seq)[1]);
    decref(seq);
    if (r < 0) {
      decref(it);
      return -1;
    }
  }
  decref(it);
  return error_occurred() ? -1 : 0;
}

namespace {

// Empties the dict (lock held, or the dict unreachable).
void dict_clear_all(DictObject* d) {
  Value dict = Value::from(&d->header);
  DictKeys* k = keys_of(d);
  d->keys.store(nullptr, std::memory_order_release);
  set_used(d, 0);
  bump(d);
  if (!k) return;
  for (std::size_t i = 0; i < k->nentries; i++) {
    release_unlinked(dict, k->entries()[i].key);
    release_unlinked(dict, k->entries()[i].value);
  }
  free_unlinked_mem(dict, k);
}

void dict_dealloc(Object* o) {
  if (!trashcan_begin(o)) return;
  runtime::gc_untrack(o);
  dict_clear_all(reinterpret_cast<DictObject*>(o));
  runtime::free_object(o);
  trashcan_end();
}

int dict_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  DictKeys* k = keys_of(reinterpret_cast<DictObject*>(o));
  if (!k) return 0;
  for (std::size_t i = 0; i < k->nentries; i++) {
    FTPY_VISIT(k->entries()[i].key);
    FTPY_VISIT(k->entries()[i].value);
  }
  return 0;
}

void dict_clear_slot(Object* o) {
  ObjectLock lock(Value::from(o), k_short);
  dict_clear_all(reinterpret_cast<DictObject*>(o));
}

}  // namespace

void dict_clear(Value dict) { dict_clear_slot(dict.obj()); }

namespace {

Value dict_getitem(Value self, Value key) {
  std::int64_t h = hash(key);
  if (h == -1) return Value::null();
  Value v = get_hashed(self, key, h);
  if (v) return newref(v);
  if (error_occurred()) return v;
  return raise_key_error(key);
}

int dict_setitem_slot(Value self, Value key, Value value) {
  if (!value) return dict_delitem(self, key);
  return dict_setitem(self, key, value);
}

int dict_contains(Value self, Value key) {
  std::int64_t h = hash(key);
  if (h == -1) return -1;
  if (get_hashed(self, key, h)) return 1;
  return error_occurred() ? -1 : 0;
}

std::int64_t dict_len(Value self) { return std::int64_t(used_of(D(self))); }
int dict_truthy(Value self) { return used_of(D(self)) != 0; }

Value dict_repr(Value self) {
  if (D(self)->used == 0) return make_str("{}");
  RecursionScope scope(" while getting the repr of an object");
  if (!scope.ok()) return Value::null();
  int g = repr_enter(self);
  if (g < 0) return Value::null();
  if (g > 0) return make_str("{...}");
  std::string out = "{";
  std::size_t pos = 0;
  Value k, v;
  bool first = true;
  while (dict_next(self, &pos, &k, &v)) {
    if (!first) out += ", ";
    first = false;
    Value kk = newref(k), vv = newref(v);
    Value rk = repr(kk);
    Value rv = rk ? repr(vv) : Value::null();
    decref(kk);
    decref(vv);
    if (!rv) {
      xdecref(rk);
      repr_leave(self);
      return Value::null();
    }
    out += as_str(rk)->view();
    out += ": ";
    out += as_str(rv)->view();
    decref(rk);
    decref(rv);
  }
  out += '}';
  repr_leave(self);
  return make_str(out);
}

Value dict_richcompare(Value a, Value b, CompareOp op) {
  if (!is_dict(b) || (op != CompareOp::Eq && op != CompareOp::Ne)) return not_implemented();
  RecursionScope scope(" in comparison");
  if (!scope.ok()) return Value::null();
  bool eq = true;
  if (D(a)->used != D(b)->used) {
    eq = false;
  } else {
    std::size_t pos = 0;
    Value k, v;
    while (dict_next(a, &pos, &k, &v)) {
      Value kk = newref(k), vv = newref(v);
      Value bv = dict_get(b, kk);
      int r = 0;
      if (bv) {
        Value bvv = newref(bv);
        r = richcompare_bool(vv, bvv, CompareOp::Eq);
        decref(bvv);
      } else if (error_occurred()) {
        r = -1;
      }
      decref(kk);
      decref(vv);
      if (r < 0) return Value::null();
      if (!r) {
        eq = false;
        break;
      }
    }
  }
  return py_bool(op == CompareOp::Eq ? eq : !eq);
}

Value dict_or(Value a, Value b) {
  if (!is_dict(a) || !is_dict(b)) return not_implemented();
  Value r = dict_copy(a);
  if (!r) return r;
  if (dict_update(r, b) < 0) {
    decref(r);
    return Value::null();
  }
  return r;
}

// --- iterators and views --------------------------------------------------------------------
enum class ViewKind : std::uint8_t { Keys, Values, Items };

// Threads may share one iterator: each entry is handed out once (a compare-and-swap on the
// position), and the dict stays referenced until the iterator dies (only the collector's
// clear drops it early), so a racing next() never reads a released dict.
struct DictIter {
  Object header;
  Value dict;                     // owned
  std::atomic<std::size_t> pos;   // next entry, or k_iter_done
  std::atomic<std::size_t> used;  // the size when iteration started; SIZE_MAX after a change
  ViewKind kind;
};
constexpr std::size_t k_iter_done = SIZE_MAX;

struct DictView {
  Object header;
  Value dict;  // owned
};

Value make_dict_iter(Value dict, ViewKind kind) {
  Object* o = runtime::alloc_object(&g_dict_iter_type.rt, sizeof(DictIter));
  if (!o) return raise_no_memory();
  auto* it = reinterpret_cast<DictIter*>(o);
  it->dict = newref(dict);
  it->pos.store(0, std::memory_order_relaxed);
  it->used.store(used_of(D(dict)), std::memory_order_relaxed);
  it->kind = kind;
  runtime::gc_track(o);
  return Value::from(o);
}

Value dict_iter_next(Value self) {
  auto* it = reinterpret_cast<DictIter*>(self.obj());
  if (!it->dict) return Value::null();
  std::size_t p = it->pos.load(std::memory_order_relaxed);
  for (;;) {
    if (p == k_iter_done) return Value::null();
    if (used_of(D(it->dict)) != it->used.load(std::memory_order_relaxed)) {
      it->used.store(SIZE_MAX, std::memory_order_relaxed);  // keep failing, as CPython
      return raise(&g_RuntimeError, "dictionary changed size during iteration");
    }
    std::size_t q = p;
    Value k, v;
    if (!dict_next(it->dict, &q, &k, &v)) {
      if (it->pos.compare_exchange_weak(p, k_iter_done, std::memory_order_relaxed))
        return Value::null();
      continue;
    }
    Value r;
    switch (it->kind) {
      case ViewKind::Keys: r = newref(k); break;
      case ViewKind::Values: r = newref(v); break;
      default:
        r = make_tuple(2);
        if (!r) return r;
        as_tuple(r)->items[0] = newref(k);
        as_tuple(r)->items[1] = newref(v);
    }
    if (it->pos.compare_exchange_weak(p, q, std::memory_order_relaxed)) return r;
    decref(r);  // another thread took this entry: try from where it left off
  }
}

void iter_dealloc(Object* o) {
  runtime::gc_untrack(o);
  Value d = reinterpret_cast<DictIter*>(o)->dict;
  runtime::free_object(o);
  xdecref(d);
}
int iter_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  FTPY_VISIT(reinterpret_cast<DictIter*>(o)->dict);
  return 0;
}
void iter_clear(Object* o) {
  auto* it = reinterpret_cast<DictIter*>(o);
  Value d = it->dict;
  it->dict = Value::null();
  xdecref(d);
}
Value self_iter(Value self) { return newref(self); }

Value dict_iter(Value self) { return make_dict_iter(self, ViewKind::Keys); }

TypeObject* view_type(ViewKind k) {
  return k == ViewKind::Keys ? &g_dict_keys_type
         : k == ViewKind::Values ? &g_dict_values_type
                                 : &g_dict_items_type;
}
ViewKind view_kind(Value v) {
  TypeObject* t = type_of(v);
  return t == &g_dict_keys_type ? ViewKind::Keys
         : t == &g_dict_values_type ? ViewKind::Values
                                    : ViewKind::Items;
}

Value make_view(Value dict, ViewKind kind) {
  Object* o = runtime::alloc_object(&view_type(kind)->rt, sizeof(DictView));
  if (!o) return raise_no_memory();
  reinterpret_cast<DictView*>(o)->dict = newref(dict);
  runtime::gc_track(o);
  return Value::from(o);
}
inline Value view_dict(Value v) { return reinterpret_cast<DictView*>(v.obj())->dict; }

Value view_iter(Value self) { return make_dict_iter(view_dict(self), view_kind(self)); }
std::int64_t view_len(Value self) { return std::int64_t(D(view_dict(self))->used); }
int view_contains(Value self, Value x) {
  Value d = view_dict(self);
  switch (view_kind(self)) {
    case ViewKind::Keys: return dict_contains(d, x);
    case ViewKind::Values: {
      std::size_t pos = 0;
      Value k, v;
      while (dict_next(d, &pos, &k, &v)) {
        Value vv = newref(v);
        int r = richcompare_bool(vv, x, CompareOp::Eq);
        decref(vv);
        if (r != 0) return r;
      }
      return 0;
    }
    default: {
      if (!is_tuple(x) || as_tuple(x)->size != 2) return 0;
      Value v = dict_get(d, as_tuple(x)->items[0]);
      if (!v) return error_occurred() ? -1 : 0;
      Value vv = newref(v);
      int r = richcompare_bool(vv, as_tuple(x)->items[1], CompareOp::Eq);
      decref(vv);
      return r;
    }
  }
}
Value view_repr(Value self) {
  Value l = list_from_iterable(self);
  if (!l) return l;
  Value r = repr(l);
  decref(l);
  if (!r) return r;
  Value out = make_str_owned(fmt::format("{}({})", type_of(self)->name->view(), as_str(r)->view()));
  decref(r);
  return out;
}
void view_dealloc(Object* o) {
  runtime::gc_untrack(o);
  Value d = reinterpret_cast<DictView*>(o)->dict;
  runtime::free_object(o);
  decref(d);
}
int view_traverse(Object* o, runtime::VisitFn visit, void* arg) {
  FTPY_VISIT(reinterpret_cast<DictView*>(o)->dict);
  return 0;
}
// The GC's clear: only for an unreachable view, which nothing reads again (dealloc drops None).
void view_clear(Object* o) {
  auto* v = reinterpret_cast<DictView*>(o);
  Value d = v->dict;
  v->dict = none();
  decref(d);
}

// --- methods ------------------------------------------------------------------------------
Value m_get(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("get", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 2)
    return raise_fmt(&g_TypeError, "get expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  Value v = dict_get(self, args[0]);
  if (v) return newref(v);
  if (error_occurred()) return Value::null();
  return nargs == 2 ? newref(args[1]) : none();
}

template <int K>
Value m_view(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise_fmt(&g_TypeError, "dict view method takes no arguments ({} given)", nargs);
  return make_view(self, ViewKind(K));
}

Value m_pop(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("pop", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 2)
    return raise_fmt(&g_TypeError, "pop expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  std::int64_t h = hash(args[0]);
  if (h == -1) return Value::null();
  ObjectLock lock(self, short_for(self, args[0]));
  std::size_t slot;
  std::int64_t ix = lookup(D(self), args[0], h, &slot);
  if (ix == -2) return Value::null();
  if (ix < 0) return nargs == 2 ? newref(args[1]) : raise_key_error(args[0]);
  return remove_entry(D(self), slot, ix);
}

Value m_popitem(Value self, const Value*, std::size_t nargs, TupleObject*) {
  if (nargs) return raise(&g_TypeError, "popitem() takes no arguments");
  ObjectLock lock(self, dict_plain_only(D(self)));
  DictObject* d = D(self);
  DictKeys* k = keys_of(d);
  if (!d->used || !k) return raise(&g_KeyError, "popitem(): dictionary is empty");
  std::size_t j = k->nentries;
  while (j > 0 && !k->entries()[j - 1].key) j--;
  DictEntry& e = k->entries()[j - 1];
  Value t = make_tuple(2);
  if (!t) return t;
  as_tuple(t)->items[0] = newref(e.key);
  std::size_t slot;
  std::int64_t ix = lookup(d, e.key, e.hash, &slot);
  as_tuple(t)->items[1] = remove_entry(d, slot, ix);
  // Reuse the entry only if no lock-free reader can be looking at it.
  if (!writes_shared(&d->header)) k->nentries = j - 1;
  return t;
}

Value m_setdefault(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  if (no_kwargs("setdefault", kw) < 0) return Value::null();
  if (nargs < 1 || nargs > 2)
    return raise_fmt(&g_TypeError, "setdefault expected {} arguments, got {}",
                     nargs < 1 ? "at least 1" : "at most 2", nargs);
  std::int64_t h = hash(args[0]);
  if (h == -1) return Value::null();
  // One critical section: the value returned is the one in the dict, even when threads race.
  ObjectLock lock(self, short_for(self, args[0]));
  std::size_t slot;
  std::int64_t ix = lookup(D(self), args[0], h, &slot);
  if (ix == -2) return Value::null();
  if (ix >= 0) return newref(keys_of(D(self))->entries()[ix].value);
  Value dflt = nargs == 2 ? args[1] : none();
  if (insert(D(self), args[0], h, dflt) < 0) return Value::null();
  return newref(dflt);
}

Value m_update(Value self, const Value* args, std::size_t nargs, TupleObject* kw) {
  std::size_t nkw = kw ? kw->size : 0;
  std::size_t npos = nargs - nkw;
  if (npos > 1) return raise_fmt(&g_TypeError, "update expected at most 1 argument, got {}", npos);
  if (npos == 1 && dict_update(self, args[0]) < 0) return Value::null();
  for (std::size_t i = 0; i < nkw; i++)
    if (dict_setitem(self, kw->items[i], args[npos + i]) < 0) return Value::null();
  return none();
}

Value m_copy(Value self, const Value*, std::size_t, TupleObject*) { return dict_copy(self); }
Value m_clear(Value self, const Value*, std::size_t, TupleObject*) {
  ObjectLock lock(self, k_short);
  dict_clear_all(D(self));
  return none();
}

Value dict_new(TypeObject*, const Value* args, std::size_t nargs, TupleObject* kw) {
  Value d = make_dict();
  if (!d) return d;
  std::size_t nkw = kw ? kw->size : 0;
  if (nargs - nkw > 1) {
    decref(d);
    return raise_fmt(&g_TypeError, "dict expected at most 1 argument, got {}", nargs - nkw);
  }
  Value r = m_update(d, args, nargs, kw);
  if (!r) {
    decref(d);
    return r;
  }
  decref(r);
  return d;
}

const NativeMethodDef k_methods[] = {
    {"get", m_get},       {"keys", m_view<0>},   {"values", m_view<1>},
    {"items", m_view<2>}, {"pop", m_pop},        {"popitem", m_popitem},
    {"setdefault", m_setdefault}, {"update", m_update}, {"copy", m_copy},
    {"clear", m_clear},   {nullptr, nullptr},
};

}  // namespace

bool init_dict_type_early() {
  g_dict_type.header.ob_type = &g_type_type.rt;
  runtime::make_immortal(&g_dict_type.header);
  g_dict_type.rt.name = "dict";
  g_dict_type.rt.basic_size = sizeof(DictObject);
  g_dict_type.rt.flags = runtime::type_flags::k_gc | runtime::type_flags::k_immutable;
  g_dict_type.rt.dealloc = dict_dealloc;
  g_dict_type.rt.traverse = dict_traverse;
  g_dict_type.rt.clear = dict_clear_slot;
  return true;
}

bool init_dict_type() {
  TypeObject* t = &g_dict_type;
  if (!setup_type(t, "dict", &g_object_type, sizeof(DictObject), true, dict_dealloc)) return false;
  t->rt.traverse = dict_traverse;
  t->rt.clear = dict_clear_slot;
  t->hash = nullptr;
  t->getitem = dict_getitem;
  t->setitem = dict_setitem_slot;
  t->contains = dict_contains;
  t->len = dict_len;
  t->truthy = dict_truthy;
  t->repr = dict_repr;
  t->richcompare = dict_richcompare;
  t->iter = dict_iter;
  t->binary[int(BinaryOp::Or)] = dict_or;
  t->new_ = dict_new;
  if (add_native_methods(t, k_methods) < 0) return false;
  if (!setup_type(&g_dict_iter_type, "dict_keyiterator", &g_object_type, sizeof(DictIter), true,
                  iter_dealloc))
    return false;
  g_dict_iter_type.rt.traverse = iter_traverse;
  g_dict_iter_type.rt.clear = iter_clear;
  g_dict_iter_type.iter = self_iter;
  g_dict_iter_type.iternext = dict_iter_next;
  const char* names[] = {"dict_keys", "dict_values", "dict_items"};
  for (int i = 0; i < 3; i++) {
    TypeObject* v = view_type(ViewKind(i));
    if (!setup_type(v, names[i], &g_object_type, sizeof(DictView), true, view_dealloc))
      return false;
    v->rt.traverse = view_traverse;
    v->rt.clear = view_clear;
    v->hash = nullptr;
    v->iter = view_iter;
    v->len = view_len;
    v->contains = view_contains;
    v->repr = view_repr;
  }
  return true;
}

std::string dict_validate(Value dict) {
  DictObject* d = D(dict);
  DictKeys* k = keys_of(d);
  std::size_t used = used_of(d);
  if (!k) return used == 0 ? "" : fmt::format("used {} with no table", used);
  if (k->nslots == 0 || (k->nslots & (k->nslots - 1)))
    return fmt::format("nslots {} is not a power of two", k->nslots);
  if (k->usable != k->nslots * 2 / 3 || k->nentries > k->usable)
    return fmt::format("nentries {}, usable {}, nslots {}", k->nentries, k->usable, k->nslots);
  std::vector<int> refs(k->nentries, 0);
  std::size_t empty = 0;
  for (std::size_t i = 0; i < k->nslots; i++) {
    std::int32_t ix = k->indices()[i];
    if (ix == k_empty) {
      empty++;
    } else if (ix != k_dummy) {
      if (ix < 0 || std::size_t(ix) >= k->nentries)
        return fmt::format("index slot {} holds {}, past {} entries", i, ix, k->nentries);
      refs[std::size_t(ix)]++;
    }
  }
  if (empty == 0) return "no empty index slot: a probe for an absent key would not end";
  std::size_t live = 0;
  for (std::size_t e = 0; e < k->nentries; e++) {
    const DictEntry& en = k->entries()[e];
    if (!en.key) {
      if (refs[e]) return fmt::format("deleted entry {} is still indexed", e);
      continue;
    }
    live++;
    if (!en.value) return fmt::format("entry {} has a key and no value", e);
    if (refs[e] != 1) return fmt::format("entry {} is indexed {} times", e, refs[e]);
    if (k->plain_only && !is_plain_key(en.key))
      return fmt::format("entry {}'s key is not plain in a plain-only table", e);
    // Its index slot lies on the key's probe path before any empty slot.
    for (DictProbe p(k->nslots, en.hash);; p.next()) {
      std::int32_t ix = k->indices()[p.i];
      if (ix == std::int32_t(e)) break;
      if (ix == k_empty) return fmt::format("entry {} is not on its hash's probe path", e);
    }
  }
  if (live != used) return fmt::format("used {} but {} live entries", used, live);
  return "";
}

}  // namespace ftpy::interp
