// import.cpp: the built-in module table, import, and running a frozen module's source.
#include "interp/vm/import.h"

#include <memory>
#include <vector>

#include <fmt/format.h>

#include "interp/compile/compiler.h"
#include "interp/objects/class.h"
#include "interp/objects/module_type.h"
#include "interp/objects/types_internal.h"
#include "interp/vm/vm.h"

namespace ftpy::interp {

namespace {

struct Factory {
  const char* name;
  ModuleFactory create;
};
std::vector<Factory> g_factories;  // written before any import (see import.h)

}  // namespace

void register_builtin_module(const char* name, ModuleFactory create) {
  g_factories.push_back({name, create});
}

namespace {
const Factory* find_factory(std::string_view name) {
  for (const Factory& f : g_factories)
    if (name == f.name) return &f;
  return nullptr;
}
}  // namespace

Value import_module(StrObject* name) {
  Value modules = t_vm->interp->modules;
  if (Value m = dict_get_str(modules, name)) return newref(m);
  std::string_view full = name->view();
  const Factory* f = find_factory(full);
  if (f) {
    // A dotted name imports its package first, and becomes an attribute of it.
    std::size_t dot = full.rfind('.');
    Value parent = Value::null();
    if (dot != std::string_view::npos) {
      parent = import_module(intern(full.substr(0, dot)));
      if (!parent) return parent;
    }
    Value m = f->create();
    if (m && dict_setitem_str(modules, name, m) < 0) {
      decref(m);
      m = Value::null();
    }
    if (m && parent && setattr(parent, intern(full.substr(dot + 1)), m) < 0) {
      decref(m);
      m = Value::null();
    }
    xdecref(parent);
    return m;
  }
  Value exc = make_exception_str(&g_ModuleNotFoundError,
                                 fmt::format("No module named '{}'", full));
  if (!exc) return exc;
  if (DictObject** slot = instance_dict_slot(exc)) {
    (void)slot;
    setattr(exc, intern("name"), Value::from(&name->header));
    clear_error();
  }
  restore_error(exc);
  return Value::null();
}

Value import_submodule(Value package, StrObject* name) {
  Value pn = getattr(package, intern("__name__"));
  if (!pn) {
    clear_error();
    return Value::null();
  }
  Value m = Value::null();
  if (is_str(pn)) {
    std::string full = fmt::format("{}.{}", as_str(pn)->view(), name->view());
    if (Value known = dict_get_str(t_vm->interp->modules, intern(full))) m = newref(known);
    else if (find_factory(full)) m = import_module(intern(full));
  }
  decref(pn);
  return m;
}


Value run_frozen_module(Value m, const char* name, const char* source) {
  Value dict = module_dict(m);
  auto src = std::make_shared<const Source>(fmt::format("<frozen {}>", name), source);
  SyntaxErrorInfo err;
  CodeObject* code = compile_source(src, &err);
  if (!code) {
    decref(m);
    if (!err.message.empty()) return raise_fmt(&g_RuntimeError, "{} source: {}", name, err.message);
    return Value::null();
  }
  Value r = run_code(code, dict, dict);
  decref(Value::from(&code->header));
  if (!r) {
    decref(m);
    return r;
  }
  decref(r);
  return m;
}


}  // namespace ftpy::interp
