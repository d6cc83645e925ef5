// object.h: the language's object model, shared by the VM and the built-in types.
//
// Values. A Value is one tagged word: an immediate small int (low bit 1, 63-bit range), an
// Object* (low bit 0), or null (0) meaning "an exception is pending" where a Value is returned.
// Ints outside the small range are boxed IntObjects holding an int64; every int operation
// treats both forms alike (as_int64 / make_int).
//
// References. Every Object carries the free-threaded header (runtime/object.h) and is counted
// with biased reference counting through incref/decref below. Convention (CPython's): a
// function returning Value returns a NEW reference, or null with an exception set on the
// current thread; Value arguments are BORROWED. Functions returning int return -1 on error
// (exception set), 0/1 otherwise. None, True, False, NotImplemented, Ellipsis, small-int boxes,
// built-in types and interned strings are immortal.
//
// Types. A TypeObject is an object whose `rt` member is the runtime::Type that instances'
// ob_type points at (type_of recovers the TypeObject). Slots are C++ function pointers; a
// user class that defines a dunder (__eq__, __len__, ...) gets the generic slot that calls it
// (class.cpp). GC types (containers, functions, classes, instances, ...) live in the Gc heap
// and have traverse/clear.
//
// Threads. Objects are born owned by the creating thread. Container mutation goes through the
// few entry points declared here (list_append, dict_setitem, ...), which hold the container's
// critical section; lookups and indexing are lock-free (containers.h). A borrowed value
// from a dict lookup stays valid until the caller's next safe point (a call into Python code
// or a backward jump): take a reference before either.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "runtime/object.h"

namespace ftpy::interp {

using runtime::Object;

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------
struct Value {
  std::uintptr_t bits = 0;

  static constexpr std::int64_t k_small_min = -(std::int64_t(1) << 62);
  static constexpr std::int64_t k_small_max = (std::int64_t(1) << 62) - 1;

  static Value null() { return Value{0}; }
  static Value from(Object* o) { return Value{reinterpret_cast<std::uintptr_t>(o)}; }
  static Value small(std::int64_t v) { return Value{(std::uintptr_t(v) << 1) | 1}; }
  static bool fits_small(std::int64_t v) { return v >= k_small_min && v <= k_small_max; }

  bool is_null() const { return bits == 0; }
  explicit operator bool() const { return bits != 0; }
  bool is_small_int() const { return bits & 1; }
  bool is_object() const { return bits != 0 && !(bits & 1); }
  std::int64_t small_value() const { return std::int64_t(bits) >> 1; }
  Object* obj() const { return reinterpret_cast<Object*>(bits); }
  bool operator==(const Value& o) const { return bits == o.bits; }  // identity (`is`)
  bool operator!=(const Value& o) const { return bits != o.bits; }
};

inline void incref(Value v) {
  if (v.is_object()) runtime::incref(v.obj());
}
inline void decref(Value v) {
  if (v.is_object()) runtime::decref(v.obj());
}
inline void xdecref(Value v) { decref(v); }  // null-safe (null is neither tag)
inline Value newref(Value v) {
  incref(v);
  return v;
}

// ---------------------------------------------------------------------------------------
// Types and slots
// ---------------------------------------------------------------------------------------
struct TypeObject;
struct StrObject;
struct TupleObject;
struct DictObject;

enum class CompareOp : std::uint8_t { Lt, Le, Eq, Ne, Gt, Ge };

enum class BinaryOp : std::uint8_t {
  Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul, Count
};
enum class UnaryOp : std::uint8_t { Neg, Pos, Invert, Not };

// Vectorcall convention: `args` holds the positional arguments then the keyword arguments'
// values; `kwnames` (may be null) is a tuple of the keywords' names (interned StrObjects).
using CallFn = Value (*)(Value callable, const Value* args, std::size_t nargs,
                         TupleObject* kwnames);
using NativeMethodFn = Value (*)(Value self, const Value* args, std::size_t nargs,
                                 TupleObject* kwnames);

struct TypeObject {
  Object header;
  runtime::Type rt;       // rt.name points at m_name's bytes; instances' ob_type == &rt
  TypeObject* base;       // single inheritance; null only for `object`
  DictObject* dict;       // the class namespace (methods, class attributes, descriptors)
  StrObject* name;        // __name__
  // Attribute-cache version tag: bumped (never reused) whenever this type's dict or an
  // ancestor's changes; 0 means "do not cache". Written under the type's critical section.
  std::atomic<std::uint32_t> version;
  std::uint32_t tp_flags;  // k_tp_* below
  std::size_t instance_size;

  // Slots: null means the operation is unsupported (TypeError with CPython's message).
  Value (*repr)(Value self);
  Value (*str)(Value self);
  std::int64_t (*hash)(Value self);                       // -1: error
  Value (*richcompare)(Value a, Value b, CompareOp op);   // may return NotImplemented
  int (*truthy)(Value self);                              // -1: error
  std::int64_t (*len)(Value self);                        // -1: error
  Value (*getitem)(Value self, Value key);
  int (*setitem)(Value self, Value key, Value value);     // value null: delete
  int (*contains)(Value self, Value item);                // -1: error
  Value (*iter)(Value self);
  // null with no exception set means "exhausted" (the fast StopIteration path).
  Value (*iternext)(Value self);
  CallFn call;
  Value (*getattr)(Value self, StrObject* name);
  int (*setattr)(Value self, StrObject* name, Value value);  // value null: delete
  // Descriptor protocol: functions bind to instances; getset descriptors compute attributes.
  Value (*descr_get)(Value descr, Value obj, TypeObject* owner);  // obj null: class access
  int (*descr_set)(Value descr, Value obj, Value value);          // non-null: data descriptor
  Value (*binary[int(BinaryOp::Count)])(Value a, Value b);      // may return NotImplemented
  Value (*unary[4])(Value a);                                     // Neg, Pos, Invert (Not unused)
  // Construction: type(args) calls new_ then, if the result is an instance, init.
  Value (*new_)(TypeObject* type, const Value* args, std::size_t nargs, TupleObject* kwnames);
  int (*init)(Value self, const Value* args, std::size_t nargs, TupleObject* kwnames);
  // f-strings and format(): null uses the generic rule (str() when the spec is empty).
  Value (*format)(Value self, StrObject* spec);
  // gc.collect()'s count (gc::set_inline_part_fn): the part of an instance that CPython 3.11
  // keeps inline, not as an object (its attribute dict); null: none.
  Object* (*gc_inline_part)(Object* self);
};

inline constexpr std::uint32_t k_tp_heaptype = 1;      // a class statement made it
inline constexpr std::uint32_t k_tp_basetype = 2;      // may be subclassed
inline constexpr std::uint32_t k_tp_exception = 4;     // BaseException or a subclass
inline constexpr std::uint32_t k_tp_int_subclass = 8;  // int or bool
inline constexpr std::uint32_t k_tp_str_subclass = 16;

inline TypeObject* type_from_rt(runtime::Type* t) {
  return reinterpret_cast<TypeObject*>(reinterpret_cast<char*>(t) - offsetof(TypeObject, rt));
}

extern TypeObject g_int_type;  // defined in int_type.cpp
inline TypeObject* type_of(Value v) {
  return v.is_small_int() ? &g_int_type : type_from_rt(v.obj()->ob_type);
}
bool is_subtype(const TypeObject* t, const TypeObject* base);  // walks `base` links
inline bool isinstance_of(Value v, const TypeObject* t) { return is_subtype(type_of(v), t); }

// ---------------------------------------------------------------------------------------
// Core object layouts (types.cpp files own their behaviour)
// ---------------------------------------------------------------------------------------
// Variable-size objects end in a flexible array member (a GNU/Clang extension that both
// supported compilers implement): the items live in the same block as the header, one
// allocation per object. -Wpedantic is silenced for these definitions only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
struct IntObject {  // only for values outside the small range (and bool's True/False)
  Object header;
  std::int64_t value;
};
struct FloatObject {
  Object header;
  double value;
};
// Immutable UTF-8 text, bytes inline and NUL-terminated. `length` counts code points.
struct StrObject {
  Object header;
  std::int64_t length;
  std::size_t byte_length;
  std::atomic<std::int64_t> hash;  // 0: not computed yet (relaxed; any thread may fill it)
  bool ascii;
  bool interned;
  char data[];  // byte_length bytes + NUL
  std::string_view view() const { return {data, byte_length}; }
};
struct TupleObject {
  Object header;
  std::size_t size;
  Value items[];
};
// Item array of a list, in the Mem heap, separate so that it can be replaced while
// lock-free readers still read the old one (the old one is freed through QSBR).
struct ListItems {
  std::size_t capacity;
  Value items[];
};
struct ListObject {
  Object header;
  std::atomic<std::size_t> size;
  std::atomic<ListItems*> items;  // null when capacity is 0
  // To 64 bytes: mimalloc 2.0.9 starts each small page on a 64 KiB slice boundary (segment.c,
  // _mi_segment_page_start), so its 64-byte blocks are 64-byte aligned: the header's lock,
  // size and items share one cache line, and an append by a thread on another core moves one
  // line, not two (types_test checks the alignment).
  unsigned char pad[16];
};
static_assert(sizeof(ListObject) == 64);
struct DictKeys;  // the hash table and ordered entries: dict_type.cpp
struct DictObject {
  Object header;
  std::atomic<DictKeys*> keys;
  std::size_t used;                    // live entries
  std::atomic<std::uint64_t> version;  // changes on every mutation (global caches)
};
struct CellObject {
  Object header;
  Value ref;  // null: empty (UnboundLocalError / NameError on read)
};
struct InstanceObject {  // instances of user classes (and of exceptions, see below)
  Object header;
  DictObject* dict;  // __dict__, created on first attribute store (may be null)
};
struct ExceptionObject {
  Object header;
  DictObject* dict;
  TupleObject* args;
  struct Traceback* traceback;  // frames the exception passed through (traceback.h)
  Value context;                // reserved for chaining (Tier 2)
};
struct ModuleObject {
  Object header;
  DictObject* dict;
  StrObject* name;
};
#pragma GCC diagnostic pop

// ---------------------------------------------------------------------------------------
// Singletons and built-in types (immortal; defined by the types' owners)
// ---------------------------------------------------------------------------------------
extern Object g_none, g_true_obj, g_false_obj, g_not_implemented, g_ellipsis;
inline Value none() { return Value::from(&g_none); }
inline Value py_bool(bool b) { return Value::from(b ? &g_true_obj : &g_false_obj); }
inline Value not_implemented() { return Value::from(&g_not_implemented); }

extern TypeObject g_object_type, g_type_type, g_none_type, g_bool_type, g_float_type,
    g_str_type, g_tuple_type, g_list_type, g_dict_type, g_range_type, g_slice_type,
    g_function_type, g_builtin_function_type, g_method_type, g_cell_type, g_module_type,
    g_code_type, g_not_implemented_type, g_ellipsis_type;

// Exception types (exceptions.cpp): the Tier 1 hierarchy.
extern TypeObject g_BaseException, g_Exception, g_ArithmeticError, g_ZeroDivisionError,
    g_OverflowError, g_ValueError, g_TypeError, g_LookupError, g_KeyError, g_IndexError,
    g_AttributeError, g_NameError, g_UnboundLocalError, g_RuntimeError, g_RecursionError,
    g_NotImplementedError, g_StopIteration, g_AssertionError, g_ImportError,
    g_ModuleNotFoundError, g_MemoryError, g_SystemExit, g_KeyboardInterrupt,
    g_PythonFinalizationError, g_SyntaxError, g_IndentationError, g_UnicodeError,
    g_SystemError;

// ---------------------------------------------------------------------------------------
// Errors (errors.cpp): the pending exception of the current thread
// ---------------------------------------------------------------------------------------
// Sets the pending exception to type(message). Always returns null, for `return raise(...)`.
Value raise(TypeObject* type, std::string_view message);
template <class... A>
Value raise_fmt(TypeObject* type, std::string_view fmt, A&&... args);  // fmt 9 syntax
Value raise_value(Value exc);           // an exception instance (or class: instantiated)
Value raise_no_memory();                // MemoryError without allocating
bool error_occurred();
bool error_matches(TypeObject* type);   // pending exception is an instance of type
Value fetch_error();                    // takes the pending exception (new ref) or null
void restore_error(Value exc);          // steals exc
void clear_error();
// Recursion guard for native code that calls back into Python or recurses (repr, compare):
// false with RecursionError set when the Python depth exceeds the limit or the C stack is
// nearly exhausted. Pair a true result with leave_recursive_call().
bool enter_recursive_call(const char* where);
void leave_recursive_call();
// The same as a scope: native code that recurses through nested containers (comparison,
// hashing, repr) holds one per level, so deep nesting ends in RecursionError.
class [[nodiscard]] RecursionScope {
 public:
  explicit RecursionScope(const char* where) : m_ok(enter_recursive_call(where)) {}
  ~RecursionScope() {
    if (m_ok) leave_recursive_call();
  }
  RecursionScope(const RecursionScope&) = delete;
  RecursionScope& operator=(const RecursionScope&) = delete;
  bool ok() const { return m_ok; }

 private:
  bool m_ok;
};
// True when the C stack has room left (no error set). The limit is the C stack's end less a
// margin, per OS thread (not per thread state: a thread that enters a second interpreter runs
// on the same C stack); c_stack_limit_init computes it on a thread's first check.
inline thread_local char* t_c_stack_limit = nullptr;
char* c_stack_limit_init();
inline bool c_stack_ok() {
  char here;
  char* limit = t_c_stack_limit;
  if (!limit) [[unlikely]]
    limit = c_stack_limit_init();
  return &here > limit;
}

// ---------------------------------------------------------------------------------------
// Constructors (new references; null + MemoryError on failure)
// ---------------------------------------------------------------------------------------
Value make_int(std::int64_t v);  // small, else boxed
Value make_float(double v);
Value make_str(std::string_view utf8);                 // validates nothing: caller passes UTF-8
StrObject* intern(std::string_view utf8);              // immortal, unique per text (process)
Value make_tuple(std::size_t n);                       // items null: caller fills (steals)
Value make_tuple_from(const Value* items, std::size_t n);  // increfs items
Value make_list(std::size_t n);                        // n items null: caller fills (steals)
Value make_dict();

// ---------------------------------------------------------------------------------------
// Abstract object protocol (abstract.cpp): dispatch through the slots with CPython's
// fallbacks and error messages.
// ---------------------------------------------------------------------------------------
bool as_int64(Value v, std::int64_t* out);  // int, bool; false (no error set) otherwise
Value repr(Value v);
Value str(Value v);
std::int64_t hash(Value v);                  // -1: error ("unhashable type: 'list'")
Value richcompare(Value a, Value b, CompareOp op);
int richcompare_bool(Value a, Value b, CompareOp op);  // identity shortcut for Eq/Ne
int truthy(Value v);
std::int64_t length(Value v);
Value binary_op(Value a, Value b, BinaryOp op);  // tries a's slot, then b's reflected
Value inplace_op(Value a, Value b, BinaryOp op); // a += b (lists extend in place)
Value unary_op(Value a, UnaryOp op);
Value getitem(Value container, Value key);
int setitem(Value container, Value key, Value value);
int delitem(Value container, Value key);
int contains(Value container, Value item);       // `in`
Value get_iter(Value v);
Value iter_next(Value it);  // null + no error: exhausted
Value getattr(Value v, StrObject* name);
int setattr(Value v, StrObject* name, Value value);
int delattr(Value v, StrObject* name);
Value call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames);
Value call0(Value callable);
Value call1(Value callable, Value a);
Value call2(Value callable, Value a, Value b);
Value format(Value v, StrObject* spec);  // format(v, spec)
// Looks `name` up along type's base chain (type attribute cache); borrowed, null if absent
// (no exception set).
Value type_lookup(TypeObject* type, StrObject* name);

// Container entry points used by the VM and built-ins; each holds the container's critical
// section (containers.h says when a biased owner may skip it).
int list_append(Value list, Value item);
// list_append without the lock, for a list no other thread can reach yet (a comprehension's).
int list_append_unshared(Value list, Value item);
// The items as a new tuple, read under the list's lock.
Value list_snapshot(Value list);
Value list_get(Value list, std::int64_t index);  // new ref; IndexError
Value dict_get(Value dict, Value key);           // borrowed; null + no error if absent
Value dict_get_str(Value dict, StrObject* key);  // borrowed; fast path for interned keys
int dict_setitem(Value dict, Value key, Value value);
int dict_setitem_str(Value dict, StrObject* key, Value value);
int dict_delitem(Value dict, Value key);         // KeyError if absent
void dict_clear(Value dict);                     // empties it, under its lock

// Formats a type error naming an operand's type: "unsupported operand type(s) for +: 'int'
// and 'str'" and friends use this.
const char* type_name(Value v);

// ---------------------------------------------------------------------------------------
// Entry points of the built-in types that the compiler, the VM and the modules also use
// ---------------------------------------------------------------------------------------

// A Python function (vm/function.h has its layout; objects only ask what a value is).
inline bool is_function(Value v) {
  return v.is_object() && v.obj()->ob_type == &g_function_type.rt;
}

struct Traceback;
void traceback_free(Traceback* tb);  // vm side (traceback.cpp); exceptions' dealloc calls it

// Start-up. init_builtin_types fills in every static built-in type (once per process, on the
// main thread with a thread state attached).
bool init_builtin_types();

// Native functions and methods. A NativeMethodDef table ends with a {nullptr, nullptr} row;
// add_native_methods puts a method descriptor per row into type->dict (binding to the
// instance on attribute access). make_builtin_function makes a callable that calls
// fn(self, args...) (self borrowed and kept alive; none() for module functions).
struct NativeMethodDef {
  const char* name;
  NativeMethodFn fn;
};
int add_native_methods(TypeObject* type, const NativeMethodDef* defs);
Value make_builtin_function(const char* name, NativeMethodFn fn, Value self);
// Getset descriptors: computed attributes of native types (BaseException.args, ...).
using GetterFn = Value (*)(Value self);
using SetterFn = int (*)(Value self, Value value);  // value null: delete
int add_getset(TypeObject* type, const char* name, GetterFn get, SetterFn set);
extern TypeObject g_method_descr_type, g_getset_descr_type;

// CPython-style argument parsing for native functions. names[0..nparams) are the parameter
// names; the first max_positional may be passed by position, the rest only by keyword;
// `required` leading ones must be present. out[i] is borrowed, null when absent. -1 with
// TypeError ("f() takes at most 2 arguments (3 given)", "unexpected keyword argument").
int parse_args(const char* fname, const Value* args, std::size_t nargs, TupleObject* kwnames,
               const char* const* names, std::size_t nparams, std::size_t max_positional,
               std::size_t required, Value* out);
int no_kwargs(const char* fname, TupleObject* kwnames);  // -1 + TypeError if any keyword
// Positional arguments only, between lo and hi of them, with CPython's messages ("f() takes
// no arguments (1 given)", "takes exactly 2 arguments", "takes at most 3 arguments"). -1 with
// TypeError otherwise.
int check_args(const char* fname, std::size_t nargs, TupleObject* kwnames, std::size_t lo,
               std::size_t hi);
// An argument as a C double (int or float) or int64, with CPython's TypeError otherwise.
bool arg_as_double(Value v, double* out);
bool arg_as_int64(Value v, std::int64_t* out);
// A native function or method (NativeMethodFn) and its positional-count check.
#define NATIVE(fn)                                                                       \
  Value fn([[maybe_unused]] Value self, [[maybe_unused]] const Value* args, std::size_t nargs, \
           TupleObject* kwnames)
#define ARGS(name, lo, hi) \
  if (check_args(name, nargs, kwnames, lo, hi) < 0) return Value::null()

// Every call of a native function or method goes through here. A std::bad_alloc thrown
// inside (a std::string or vector that could not grow: alloc/oom.h) becomes MemoryError, so
// no C++ exception reaches the VM, whose eval_frame is noexcept (native_guard below wraps the
// slot dispatchers of abstract.cpp and the VM's own helpers the same way). The result must
// agree with the error state, null exactly when an exception is set: a checked-build
// assertion; in release builds a null result without one becomes SystemError, as CPython.
Value native_failed_without_error(const char* what);
// Runs f() (returning a Value; int_guard: an int status, -1 on error), turning an allocation
// failure into MemoryError.
template <class F>
[[gnu::always_inline]] inline Value native_guard(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return raise_no_memory();
  } catch (const std::length_error&) {  // a std::string or vector past its max_size()
    return raise_no_memory();
  }
}
template <class F>
[[gnu::always_inline]] inline int int_guard(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
  } catch (const std::length_error&) {
  }
  raise_no_memory();
  return -1;
}
[[gnu::always_inline]] inline Value call_native_fn(NativeMethodFn fn, Value self,
                                                   const Value* args, std::size_t nargs,
                                                   TupleObject* kwnames) {
  Value r = native_guard([&] { return fn(self, args, nargs, kwnames); });
  if (r.is_null()) [[unlikely]] {
    if (!error_occurred()) return native_failed_without_error("a built-in function");
  } else if constexpr (k_checks) {
    FTPY_ASSERT(!error_occurred() && "a built-in function returned a value with an exception set");
  }
  return r;
}

// Attribute lookup for native types: class dicts along the base chain (descriptors bind),
// `__class__`; AttributeError "'int' object has no attribute 'x'". The getattr slot of
// every built-in non-class type.
Value native_getattr(Value self, StrObject* name);

// Slices (`a[i:j:k]`): start/stop/step borrowed (none() when omitted).
struct SliceObject {
  Object header;
  Value start, stop, step;
};
Value make_slice(Value start, Value stop, Value step);
// An exact range's first item, step and length (up to 2**64 - 1), for loops that step it.
void range_bounds(Value range, std::int64_t* start, std::int64_t* step, std::uint64_t* length);

// Exceptions: an instance of `type` with args (a tuple, borrowed); the message of a
// pending-exception report ("KeyError: 'k'") is str(exc).
Value make_exception(TypeObject* type, Value args_tuple);
Value make_exception_str(TypeObject* type, std::string_view message);

// Strings.
Value make_str_owned(std::string&& utf8);             // same as make_str
Value str_concat(Value a, Value b);                   // both str
inline StrObject* as_str(Value v) { return reinterpret_cast<StrObject*>(v.obj()); }
bool is_str(Value v);  // str (exact or subclass)

// Tuples and lists: direct item access (borrowed) for the VM's unpacking and calls.
inline TupleObject* as_tuple(Value v) { return reinterpret_cast<TupleObject*>(v.obj()); }
inline ListObject* as_list(Value v) { return reinterpret_cast<ListObject*>(v.obj()); }
std::size_t list_size(Value list);
// Valid until the list is resized; for a list this thread alone can reach, or under its lock.
Value* list_data(Value list);
Value list_from_iterable(Value iterable);
Value tuple_from_iterable(Value iterable);
int list_extend(Value list, Value iterable);
Value list_sort(Value list, Value key, bool reverse);  // None, or null on error

// Debug checks of a container's invariants (list_type.cpp, dict_type.cpp say which): "" when
// they hold, else the first one broken. Call with the container's critical section held or
// no other thread touching it; they allocate nothing Python-visible and run no Python code.
std::string list_validate(Value list);
std::string dict_validate(Value dict);

// Dicts: ordered iteration by position (pos starts at 0); borrowed key/value. False at end.
bool dict_next(Value dict, std::size_t* pos, Value* key, Value* value);
std::size_t dict_size(Value dict);
int dict_update(Value dict, Value other);  // mapping or iterable of pairs
Value dict_copy(Value dict);

// Standard streams, buffered: stdout is flushed before any stderr write (so interleaving
// matches CPython), when the buffer fills, by print(flush=True), and by flush_std_streams
// (call at exit and before fork).
void write_stdout(std::string_view s);
void write_stderr(std::string_view s);
void flush_std_streams();

}  // namespace ftpy::interp

#include "interp/objects/errors_inl.h"
