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

Value import_module(StrObject* name) {
  Value modules = t_vm->interp->modules;
  if (Value m = dict_get_str(modules, name)) return newref(m);
  for (const Factory& f : g_factories) {
    if (name->view() != f.name) continue;
    Value m = f.create();
    if (!m) return m;
    if (dict_setitem_str(modules, name, m) < 0) {
      decref(m);
      return Value::null();
    }
    return m;
  }
  Value exc = make_exception_str(&g_ModuleNotFoundError,
                                 fmt::format("No module named '{}'", name->view()));
  if (!exc) return exc;
  if (DictObject** slot = instance_dict_slot(exc)) {
    (void)slot;
    setattr(exc, intern("name"), Value::from(&name->header));
    clear_error();
  }
  restore_error(exc);
  return Value::null();
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
