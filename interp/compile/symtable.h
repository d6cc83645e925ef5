// symtable.h: the compiler's first pass. Scopes are resolved top-down before any code is
// generated: a name used in a function and bound in an enclosing function becomes a cell
// there and a free variable in every scope in between (class bodies pass free variables
// through but never provide them, except the implicit __class__ cell that zero-argument
// super() reads). A SymbolTable belongs to one compilation on one thread; its scopes live as
// long as it does.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interp/front/ast.h"

namespace ftpy::interp {

enum class ScopeKind { Module, Function, Class, Comprehension };
enum class Sym : std::uint8_t { Local, Global, Cell, Free, Name };

struct Scope {
  ScopeKind kind;
  std::string name, qualname;
  Scope* parent = nullptr;
  std::vector<std::string> params;
  std::vector<std::string> bound_order;
  std::set<std::string> bound, used, globals, nonlocals;
  bool uses_class_cell = false;  // mentions super or __class__
  bool has_class_cell = false;   // class scope whose methods need __class__
  std::map<std::string, Sym> syms;
  std::vector<std::string> varnames, cellvars, freevars;
  std::uint32_t argcount = 0, kwonly = 0;
  bool varargs = false, varkw = false;
  std::vector<Scope*> children;

  void bind(std::string_view n) {
    std::string s(n);
    if (bound.insert(s).second) bound_order.push_back(s);
  }
  bool is_function_like() const {
    return kind == ScopeKind::Function || kind == ScopeKind::Comprehension;
  }
  int index_of(const std::vector<std::string>& v, const std::string& n) const {
    auto it = std::find(v.begin(), v.end(), n);
    return it == v.end() ? -1 : int(it - v.begin());
  }
};

struct CompileError {
  bool set = false;
  std::string message;
  Loc loc;
};

struct SymbolTable {
  std::vector<std::unique_ptr<Scope>> scopes;
  std::unordered_map<const void*, Scope*> map;  // syntax node (module, def, lambda, ...) -> scope
  CompileError err;                              // the first error, if any
};

// Builds the scopes of `module` into *out and resolves every name; on error out->err is set
// (CPython's SyntaxError message and location) and the scopes are incomplete.
void build_symbol_table(const Module* module, SymbolTable* out);

}  // namespace ftpy::interp
