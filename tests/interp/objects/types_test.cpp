// types_test.cpp: the built-in types through the C++ API (object.h): ints and overflow,
// floats, strs, tuples, lists (sort stability, slices), dicts (order, deletion, KeyError),
// ranges, exceptions and the abstract protocol's error messages. One attached thread state of
// the main interpreter for the whole run; init_builtin_types once.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "interp/objects/class.h"
#include "interp/objects/object.h"
#include "interp/objects/vm_state.h"
#include "runtime/runtime.h"
#include "runtime/thread_state.h"

using namespace ftpy::interp;

namespace {

struct TypesFixture {
  TypesFixture() {
    auto& rt = ftpy::runtime::Runtime::get();
    FTPY_ASSERT(rt.init_main() == ftpy::runtime::InterpStatus::Ok);
    static ftpy::runtime::ThreadState* ts = nullptr;
    static VmThread vt;
    static VmInterp vi;
    if (!ts) {
      ftpy::runtime::ThreadStatus st;
      ts = ftpy::runtime::ThreadState::create(rt.main_interpreter(), &st);
      FTPY_ASSERT(ts != nullptr);
      ts->attach();
      vi.rt = rt.main_interpreter();
      vt.ts = ts;
      vt.interp = &vi;
      t_vm = &vt;
      FTPY_ASSERT(init_builtin_types());
      FTPY_ASSERT(init_class_types());
    }
  }
};

std::string S(Value v) {
  REQUIRE(v);
  REQUIRE(is_str(v));
  std::string s(as_str(v)->view());
  decref(v);
  return s;
}
std::string R(Value v) {
  REQUIRE(v);
  std::string s = S(repr(v));
  decref(v);
  return s;
}
// The pending exception as "Type: message", cleared.
std::string err() {
  Value e = fetch_error();
  REQUIRE(e);
  std::string s = std::string(type_of(e)->name->view()) + ": " + S(str(e));
  decref(e);
  return s;
}
Value I(std::int64_t v) { return make_int(v); }
Value Str(const char* s) { return make_str(s); }
Value call_method(Value self, const char* name, std::initializer_list<Value> args) {
  Value m = getattr(self, intern(name));
  REQUIRE(m);
  Value r = call(m, args.begin(), args.size(), nullptr);
  decref(m);
  return r;
}

}  // namespace

TEST_CASE_METHOD(TypesFixture, "ints: arithmetic, floor semantics, overflow", "[interp]") {
  CHECK(R(binary_op(I(7), I(-2), BinaryOp::FloorDiv)) == "-4");
  CHECK(R(binary_op(I(7), I(-2), BinaryOp::Mod)) == "-1");
  CHECK(R(binary_op(I(7), I(2), BinaryOp::TrueDiv)) == "3.5");
  CHECK(R(binary_op(I(2), I(-1), BinaryOp::Pow)) == "0.5");
  CHECK(R(binary_op(I(2), I(62), BinaryOp::Pow)) == "4611686018427387904");
  CHECK(!binary_op(I(2), I(63), BinaryOp::Pow));
  CHECK(err().rfind("OverflowError", 0) == 0);
  CHECK(!binary_op(I(1), I(0), BinaryOp::FloorDiv));
  CHECK(err() == "ZeroDivisionError: integer division or modulo by zero");
  CHECK(!binary_op(I(1), I(0), BinaryOp::Mod));
  CHECK(err() == "ZeroDivisionError: integer modulo by zero");
  CHECK(!binary_op(I(1), I(-1), BinaryOp::LShift));
  CHECK(err() == "ValueError: negative shift count");
  Value big = make_int(INT64_MAX);
  CHECK(!big.is_small_int());
  CHECK(R(binary_op(big, I(-1), BinaryOp::Add)) == "9223372036854775806");
  CHECK(!binary_op(big, I(1), BinaryOp::Add));
  CHECK(err().rfind("OverflowError", 0) == 0);
  CHECK(R(binary_op(py_bool(true), I(1), BinaryOp::Add)) == "2");
  CHECK(R(py_bool(true)) == "True");
  CHECK(hash(I(-1)) == -2);
  CHECK(hash(make_float(1.0)) == hash(I(1)));
  Value s = Str("x");
  CHECK(!binary_op(I(1), s, BinaryOp::Add));
  CHECK(err() == "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  CHECK(!richcompare(I(1), s, CompareOp::Lt));
  CHECK(err() == "TypeError: '<' not supported between instances of 'int' and 'str'");
  decref(s);
}

TEST_CASE_METHOD(TypesFixture, "floats and mixed comparisons", "[interp]") {
  CHECK(R(make_float(0.1)) == "0.1");
  CHECK(R(binary_op(make_float(-7.0), I(2), BinaryOp::FloorDiv)) == "-4.0");
  CHECK(R(binary_op(make_float(-7.0), I(2), BinaryOp::Mod)) == "1.0");
  CHECK(!binary_op(make_float(1.0), I(0), BinaryOp::TrueDiv));
  CHECK(err() == "ZeroDivisionError: float division by zero");
  CHECK(richcompare_bool(I(1), make_float(1.0), CompareOp::Eq) == 1);
  CHECK(richcompare_bool(make_int(INT64_MAX), make_float(9223372036854775807.0), CompareOp::Lt) == 1);
}

TEST_CASE_METHOD(TypesFixture, "str methods", "[interp]") {
  Value s = Str("a,b,,c");
  CHECK(R(call_method(s, "split", {Str(",")})) == "['a', 'b', '', 'c']");
  CHECK(S(call_method(Str("-"), "join", {call_method(s, "split", {Str(",")})})) == "a-b--c");
  CHECK(R(call_method(Str("hello"), "find", {Str("l")})) == "2");
  CHECK(!call_method(Str("hello"), "index", {Str("z")}));
  CHECK(err() == "ValueError: substring not found");
  CHECK(S(call_method(Str("{} and {!r} {:>4}"), "format", {I(1), Str("x"), I(7)})) ==
        "1 and 'x'    7");
  CHECK(S(call_method(Str("ab"), "center", {I(5), Str("*")})) == "**ab*");
  Value sl = make_slice(none(), none(), Value::small(-1));
  CHECK(S(getitem(Str("héllo"), sl)) == "olléh");
  decref(sl);
  CHECK(R(Str("it's")) == "\"it's\"");
  CHECK(intern("abc") == intern("abc"));
  decref(s);
}

TEST_CASE_METHOD(TypesFixture, "lists: the lock, size and items share one cache line",
                 "[interp]") {
  // ListObject's layout relies on mimalloc giving 64-byte blocks 64-byte alignment
  // (interp/object.h): a contended append then moves one line, not two.
  Value ls[64];
  for (Value& l : ls) {
    l = make_list(0);
    CHECK(reinterpret_cast<std::uintptr_t>(l.obj()) % 64 == 0);
  }
  for (Value l : ls) decref(l);
}

TEST_CASE_METHOD(TypesFixture, "lists: sort is stable, slices, repr guard", "[interp]") {
  Value l = make_list(0);
  for (int i : {3, 1, 2, 1, 3}) list_append(l, I(i));
  Value r = list_sort(l, none(), true);
  REQUIRE(r);
  CHECK(R(newref(l)) == "[3, 3, 2, 1, 1]");
  CHECK(list_validate(l) == "");
  // Stability with a key: pairs sorted by first element keep their order.
  Value pairs = make_list(0);
  for (int i = 0; i < 100; i++) {
    Value t = make_tuple(2);
    as_tuple(t)->items[0] = I(i % 3);
    as_tuple(t)->items[1] = I(i);
    list_append(pairs, t);
    decref(t);
  }
  Value key = getattr(Value::from(&g_tuple_type.header), intern("count"));
  (void)key;
  REQUIRE(list_sort(pairs, none(), false));
  bool ordered = true;
  for (std::size_t i = 1; i < list_size(pairs); i++)
    if (richcompare_bool(list_data(pairs)[i - 1], list_data(pairs)[i], CompareOp::Gt)) ordered = false;
  CHECK(ordered);
  xdecref(key);
  decref(pairs);
  list_append(l, l);
  CHECK(R(newref(l)) == "[3, 3, 2, 1, 1, [...]]");
  Value sl = make_slice(Value::small(0), none(), Value::small(2));
  CHECK(delitem(l, sl) == 0);
  decref(sl);
  CHECK(R(newref(l)) == "[3, 1, [...]]");
  CHECK(!list_get(l, 10));
  CHECK(err() == "IndexError: list index out of range");
  list_data(l)[2] = none();  // break the cycle by hand
  decref(l);
  decref(l);
}

TEST_CASE_METHOD(TypesFixture, "dicts: order, delete, KeyError, views", "[interp]") {
  Value d = make_dict();
  for (int i = 0; i < 50; i++) dict_setitem(d, I(i), I(i * i));
  CHECK(dict_validate(d) == "");
  for (int i = 0; i < 50; i += 2) dict_delitem(d, I(i));
  CHECK(dict_size(d) == 25);
  CHECK(dict_validate(d) == "");
  Value one = make_float(1.0);
  dict_setitem(d, one, Str("x"));  // 1.0 == 1: replaces the value of key 1
  decref(one);
  CHECK(dict_size(d) == 25);
  CHECK(S(getitem(d, I(1))) == "x");
  CHECK(!getitem(d, I(2)));
  CHECK(err() == "KeyError: 2");
  Value k = Str("k");
  CHECK(!getitem(d, k));
  CHECK(err() == "KeyError: 'k'");
  decref(k);
  Value small = make_dict();
  dict_setitem(small, Str("a"), I(1));
  CHECK(R(newref(small)) == "{'a': 1}");
  CHECK(R(call_method(small, "keys", {})) == "dict_keys(['a'])");
  CHECK(R(call_method(small, "items", {})) == "dict_items([('a', 1)])");
  decref(small);
  Value it = get_iter(d);
  Value first = iter_next(it);
  decref(first);
  dict_setitem(d, I(1000), I(1));
  CHECK(dict_validate(d) == "");
  CHECK(!iter_next(it));
  CHECK(err() == "RuntimeError: dictionary changed size during iteration");
  decref(it);
  decref(d);
}

TEST_CASE_METHOD(TypesFixture, "exceptions: args, str, repr", "[interp]") {
  Value e = make_exception_str(&g_ValueError, "bad");
  CHECK(R(newref(e)) == "ValueError('bad')");
  CHECK(S(str(e)) == "bad");
  decref(e);
  Value empty = make_tuple(0);
  Value e2 = make_exception(&g_KeyError, empty);
  CHECK(R(newref(e2)) == "KeyError()");
  decref(e2);
  decref(empty);
  CHECK(is_subtype(&g_RecursionError, &g_RuntimeError));
  CHECK(is_subtype(&g_ModuleNotFoundError, &g_ImportError));
  raise(&g_IndexError, "x");
  CHECK(error_matches(&g_LookupError));
  clear_error();
}

TEST_CASE_METHOD(TypesFixture, "ranges and deep nesting", "[interp]") {
  Value args[3] = {I(10), I(0), I(-3)};
  Value r = call(Value::from(&g_range_type.header), args, 3, nullptr);
  CHECK(R(newref(r)) == "range(10, 0, -3)");
  CHECK(length(r) == 4);
  CHECK(R(list_from_iterable(r)) == "[10, 7, 4, 1]");
  decref(r);
  // A list nested 100000 deep is freed without deep recursion (the trashcan).
  Value outer = make_list(0);
  Value cur = outer;
  for (int i = 0; i < 100000; i++) {
    Value inner = make_list(0);
    list_append(cur, inner);
    decref(inner);
    cur = inner;
  }
  decref(outer);
  SUCCEED();
}
