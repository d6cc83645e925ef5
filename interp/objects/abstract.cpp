// abstract.cpp: the abstract object protocol — dispatch through the type slots with CPython's
// fallbacks (reflected operands, identity equality, the sequence iteration protocol) and its
// error messages. Small ints and exact strs take inline fast paths before any slot call.
// Stateless: any attached thread may call anything here.
#include "interp/objects/types_internal.h"

namespace ftpy::interp {

Value make_seq_iter(Value seq);

const char* type_name(Value v) { return type_of(v)->rt.name; }

namespace {

const char* const k_op_symbols[] = {"+",  "-",  "*", "/", "//", "%", "**",
                                    "<<", ">>", "&", "|", "^",  "@"};
const char* const k_cmp_symbols[] = {"<", "<=", "==", "!=", ">", ">="};

CompareOp swapped(CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::Le: return CompareOp::Ge;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::Ge: return CompareOp::Le;
    default: return op;
  }
}

Value default_repr(Value v) {
  TypeObject* t = type_of(v);
  return make_str_owned(fmt::format("<{} object at {}>", t->name->view(),
                                    static_cast<void*>(v.obj())));
}

// CPython's binary_op1: NotImplemented when neither side supports the operands.
Value binary_op1(Value a, Value b, BinaryOp op) {
  TypeObject* ta = type_of(a);
  TypeObject* tb = type_of(b);
  auto sa = ta->binary[int(op)];
  auto sb = tb != ta ? tb->binary[int(op)] : nullptr;
  if (sb == sa) sb = nullptr;
  if (sa) {
    if (sb && is_subtype(tb, ta)) {
      Value r = sb(a, b);
      if (r != not_implemented()) return r;
      sb = nullptr;
    }
    Value r = native_guard([&] { return sa(a, b); });
    if (r != not_implemented()) return r;
  }
  if (sb) return native_guard([&] { return sb(a, b); });
  return not_implemented();
}

Value binop_type_error(Value a, Value b, BinaryOp op, bool inplace) {
  if (op == BinaryOp::Pow && !inplace)
    return raise_fmt(&g_TypeError, "unsupported operand type(s) for ** or pow(): '{}' and '{}'",
                     type_name(a), type_name(b));
  return raise_fmt(&g_TypeError, "unsupported operand type(s) for {}{}: '{}' and '{}'",
                   k_op_symbols[int(op)], inplace ? "=" : "", type_name(a), type_name(b));
}

}  // namespace

Value repr(Value v) {
  TypeObject* t = type_of(v);
  if (!t->repr) return default_repr(v);
  Value r = native_guard([&] { return t->repr(v); });
  if (r && !is_str(r)) {
    Value e = raise_fmt(&g_TypeError, "__repr__ returned non-string (type {})", type_name(r));
    decref(r);
    return e;
  }
  return r;
}

Value str(Value v) {
  if (is_exact(v, &g_str_type)) return newref(v);
  TypeObject* t = type_of(v);
  if (!t->str) return repr(v);
  Value r = native_guard([&] { return t->str(v); });
  if (r && !is_str(r)) {
    Value e = raise_fmt(&g_TypeError, "__str__ returned non-string (type {})", type_name(r));
    decref(r);
    return e;
  }
  return r;
}

std::int64_t hash(Value v) {
  if (v.is_small_int()) return hash_int64(v.small_value());
  TypeObject* t = type_of(v);
  if (!t->hash) {
    raise_fmt(&g_TypeError, "unhashable type: '{}'", t->name->view());
    return -1;
  }
  return t->hash(v);
}

Value richcompare(Value a, Value b, CompareOp op) {
  if (a.is_small_int() && b.is_small_int())
    return py_bool(compare_op(op, a.small_value(), b.small_value()));
  TypeObject* ta = type_of(a);
  TypeObject* tb = type_of(b);
  bool checked_reverse = false;
  if (ta != tb && tb->richcompare && tb->richcompare != ta->richcompare && is_subtype(tb, ta)) {
    checked_reverse = true;
    Value r = tb->richcompare(b, a, swapped(op));
    if (r != not_implemented()) return r;
  }
  if (ta->richcompare) {
    Value r = ta->richcompare(a, b, op);
    if (r != not_implemented()) return r;
  }
  if (!checked_reverse && tb->richcompare) {
    Value r = tb->richcompare(b, a, swapped(op));
    if (r != not_implemented()) return r;
  }
  if (op == CompareOp::Eq) return py_bool(a == b);
  if (op == CompareOp::Ne) return py_bool(a != b);
  return raise_fmt(&g_TypeError, "'{}' not supported between instances of '{}' and '{}'",
                   k_cmp_symbols[int(op)], type_name(a), type_name(b));
}

int richcompare_bool(Value a, Value b, CompareOp op) {
  if (a == b) {
    if (op == CompareOp::Eq) return 1;
    if (op == CompareOp::Ne) return 0;
  }
  if (a.is_small_int() && b.is_small_int()) return compare_op(op, a.small_value(), b.small_value());
  Value r = richcompare(a, b, op);
  if (!r) return -1;
  if (r == py_bool(true)) return 1;
  if (r == py_bool(false)) return 0;
  int t = truthy(r);
  decref(r);
  return t;
}

int truthy(Value v) {
  if (v.is_small_int()) return v.small_value() != 0;
  if (v == py_bool(true)) return 1;
  if (v == py_bool(false) || v == none()) return 0;
  TypeObject* t = type_of(v);
  if (t->truthy) return t->truthy(v);
  if (t->len) {
    std::int64_t n = t->len(v);
    return n < 0 ? -1 : n > 0;
  }
  return 1;
}

std::int64_t length(Value v) {
  TypeObject* t = type_of(v);
  if (!t->len) {
    raise_fmt(&g_TypeError, "object of type '{}' has no len()", t->name->view());
    return -1;
  }
  return t->len(v);
}

Value binary_op(Value a, Value b, BinaryOp op) {
  if (a.is_small_int() && b.is_small_int()) {
    std::int64_t x = a.small_value(), y = b.small_value();
    switch (op) {
      case BinaryOp::Add: return make_int(x + y);  // 63-bit operands cannot overflow int64
      case BinaryOp::Sub: return make_int(x - y);
      case BinaryOp::And: return Value::small(x & y);
      case BinaryOp::Or: return Value::small(x | y);
      case BinaryOp::Xor: return Value::small(x ^ y);
      default: break;
    }
  }
  Value r = binary_op1(a, b, op);
  if (r != not_implemented()) return r;
  return binop_type_error(a, b, op, false);
}

Value inplace_op(Value a, Value b, BinaryOp op) {
  if (op == BinaryOp::Add && is_list(a)) {
    if (list_extend(a, b) < 0) return Value::null();
    return newref(a);
  }
  if (op == BinaryOp::Mul && is_list(a) && is_int(b)) {
    std::int64_t n = int_value_unchecked(b);
    std::size_t sz = list_size(a);
    if (n <= 0) {
      Value e = make_list(0);
      if (!e) return e;
      Value s = make_slice(none(), none(), none());
      int r = s ? setitem(a, s, e) : -1;
      xdecref(s);
      decref(e);
      if (r < 0) return Value::null();
      return newref(a);
    }
    for (std::int64_t k = 1; k < n; k++) {
      for (std::size_t i = 0; i < sz; i++)
        if (list_append(a, list_data(a)[i]) < 0) return Value::null();
    }
    return newref(a);
  }
  if (a.is_small_int() && b.is_small_int()) return binary_op(a, b, op);
  Value r = binary_op1(a, b, op);
  if (r != not_implemented()) return r;
  return binop_type_error(a, b, op, true);
}

Value unary_op(Value a, UnaryOp op) {
  if (op == UnaryOp::Not) {
    int t = truthy(a);
    if (t < 0) return Value::null();
    return py_bool(!t);
  }
  if (a.is_small_int() && op == UnaryOp::Neg) return make_int(-a.small_value());
  TypeObject* t = type_of(a);
  if (t->unary[int(op)]) return t->unary[int(op)](a);
  static const char* const syms[] = {"-", "+", "~"};
  return raise_fmt(&g_TypeError, "bad operand type for unary {}: '{}'", syms[int(op)],
                   type_name(a));
}

Value getitem(Value container, Value key) {
  TypeObject* t = type_of(container);
  if (t->getitem) return native_guard([&] { return t->getitem(container, key); });
  if (is_type(container))
    return raise_fmt(&g_TypeError, "type '{}' is not subscriptable",
                     as_type(container)->name->view());
  return raise_fmt(&g_TypeError, "'{}' object is not subscriptable", t->name->view());
}

int setitem(Value container, Value key, Value value) {
  TypeObject* t = type_of(container);
  if (t->setitem) return int_guard([&] { return t->setitem(container, key, value); });
  raise_fmt(&g_TypeError, "'{}' object does not support item assignment", t->name->view());
  return -1;
}

int delitem(Value container, Value key) {
  TypeObject* t = type_of(container);
  if (t->setitem) return t->setitem(container, key, Value::null());
  raise_fmt(&g_TypeError, "'{}' object doesn't support item deletion", t->name->view());
  return -1;
}

int contains(Value container, Value item) {
  TypeObject* t = type_of(container);
  if (t->contains) return int_guard([&] { return t->contains(container, item); });
  if (!t->iter && !t->getitem) {
    raise_fmt(&g_TypeError, "argument of type '{}' is not iterable", t->name->view());
    return -1;
  }
  Value it = get_iter(container);
  if (!it) return -1;
  for (;;) {
    Value v = iter_next(it);
    if (!v) break;
    int r = richcompare_bool(v, item, CompareOp::Eq);
    decref(v);
    if (r != 0) {
      decref(it);
      return r;
    }
  }
  decref(it);
  return error_occurred() ? -1 : 0;
}

Value get_iter(Value v) {
  TypeObject* t = type_of(v);
  if (t->iter) {
    Value it = t->iter(v);
    if (it && !type_of(it)->iternext) {
      Value e = raise_fmt(&g_TypeError, "iter() returned non-iterator of type '{}'",
                          type_name(it));
      decref(it);
      return e;
    }
    return it;
  }
  if (t->getitem && t != &g_dict_type) return make_seq_iter(v);
  return raise_fmt(&g_TypeError, "'{}' object is not iterable", t->name->view());
}

Value iter_next(Value it) {
  TypeObject* t = type_of(it);
  if (!t->iternext)
    return raise_fmt(&g_TypeError, "'{}' object is not an iterator", t->name->view());
  Value r = t->iternext(it);
  if (!r && error_matches(&g_StopIteration)) clear_error();
  return r;
}

Value getattr(Value v, StrObject* name) {
  TypeObject* t = type_of(v);
  if (t->getattr) return native_guard([&] { return t->getattr(v, name); });
  return raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
                   name->view());
}

int setattr(Value v, StrObject* name, Value value) {
  TypeObject* t = type_of(v);
  if (t->setattr) return t->setattr(v, name, value);
  if (t->getattr == native_getattr && type_lookup(t, name))
    raise_fmt(&g_AttributeError, "'{}' object attribute '{}' is read-only", t->name->view(),
              name->view());
  else
    raise_fmt(&g_AttributeError, "'{}' object has no attribute '{}'", t->name->view(),
              name->view());
  return -1;
}

int delattr(Value v, StrObject* name) { return setattr(v, name, Value::null()); }

Value call(Value callable, const Value* args, std::size_t nargs, TupleObject* kwnames) {
  TypeObject* t = type_of(callable);
  if (t->call) return t->call(callable, args, nargs, kwnames);
  return raise_fmt(&g_TypeError, "'{}' object is not callable", t->name->view());
}

Value call0(Value callable) { return call(callable, nullptr, 0, nullptr); }
Value call1(Value callable, Value a) { return call(callable, &a, 1, nullptr); }
Value call2(Value callable, Value a, Value b) {
  Value args[2] = {a, b};
  return call(callable, args, 2, nullptr);
}

Value format(Value v, StrObject* spec) {
  TypeObject* t = type_of(v);
  if (t->format) return native_guard([&] { return t->format(v, spec); });
  if (spec->byte_length == 0) return str(v);
  return raise_fmt(&g_TypeError, "unsupported format string passed to {}.__format__",
                   t->name->view());
}

}  // namespace ftpy::interp
