// symtable.cpp: the scope pass (symtable.h): binds, uses, global and nonlocal declarations,
// then resolution of every name to Local, Global, Cell, Free or Name.
#include "interp/compile/symtable.h"

#include <algorithm>

namespace ftpy::interp {

namespace {

class ScopeBuilder {
 public:
  explicit ScopeBuilder(SymbolTable& t) : m_t(t) {}
  SymbolTable& m_t;

  Scope* new_scope(ScopeKind kind, std::string name, Scope* parent, const void* node) {
    m_t.scopes.push_back(std::make_unique<Scope>());
    Scope* s = m_t.scopes.back().get();
    s->kind = kind;
    s->name = std::move(name);
    s->parent = parent;
    if (parent) {
      parent->children.push_back(s);
      if (parent->kind == ScopeKind::Module)
        s->qualname = s->name;
      else if (parent->kind == ScopeKind::Class)
        s->qualname = parent->qualname + "." + s->name;
      else
        s->qualname = parent->qualname + ".<locals>." + s->name;
    } else {
      s->qualname = s->name;
    }
    m_t.map[node] = s;
    return s;
  }

  void error(std::string msg, Loc loc) {
    if (m_t.err.set) return;
    m_t.err.set = true;
    m_t.err.message = std::move(msg);
    m_t.err.loc = loc;
  }

  void body(const Span<Stmt*>& stmts, Scope* s) {
    for (Stmt* st : stmts) stmt(st, s);
  }

  void add_params(Arguments* a, Scope* s) {
    for (Arg* p : a->posonlyargs) s->params.emplace_back(p->name);
    for (Arg* p : a->args) s->params.emplace_back(p->name);
    s->argcount = a->posonlyargs.size() + a->args.size();
    for (Arg* p : a->kwonlyargs) s->params.emplace_back(p->name);
    s->kwonly = a->kwonlyargs.size();
    if (a->vararg) {
      s->params.emplace_back(a->vararg->name);
      s->varargs = true;
    }
    if (a->kwarg) {
      s->params.emplace_back(a->kwarg->name);
      s->varkw = true;
    }
  }

  void arg_defaults(Arguments* a, Scope* s) {
    for (Expr* e : a->defaults) expr(e, s);
    for (Expr* e : a->kw_defaults)
      if (e) expr(e, s);
  }

  bool is_param(Scope* s, std::string_view n) {
    return std::find(s->params.begin(), s->params.end(), n) != s->params.end();
  }

  void stmt(Stmt* st, Scope* s) {
    switch (st->kind) {
      case StmtKind::FunctionDef: {
        auto* f = st->as<FunctionDefStmt>();
        for (Expr* e : f->decorator_list) expr(e, s);
        arg_defaults(f->args, s);
        s->bind(f->name);
        Scope* c = new_scope(ScopeKind::Function, std::string(f->name), s, f);
        add_params(f->args, c);
        body(f->body, c);
        break;
      }
      case StmtKind::ClassDef: {
        auto* c = st->as<ClassDefStmt>();
        for (Expr* e : c->decorator_list) expr(e, s);
        for (Expr* e : c->bases) expr(e, s);
        for (Keyword* k : c->keywords) expr(k->value, s);
        s->bind(c->name);
        Scope* cs = new_scope(ScopeKind::Class, std::string(c->name), s, c);
        body(c->body, cs);
        break;
      }
      case StmtKind::Return: {
        auto* r = st->as<ReturnStmt>();
        if (!s->is_function_like()) error("'return' outside function", st->loc);
        if (r->value) expr(r->value, s);
        break;
      }
      case StmtKind::Delete:
        for (Expr* e : st->as<DeleteStmt>()->targets) expr(e, s);
        break;
      case StmtKind::Assign: {
        auto* a = st->as<AssignStmt>();
        expr(a->value, s);
        for (Expr* t : a->targets) expr(t, s);
        break;
      }
      case StmtKind::AugAssign: {
        auto* a = st->as<AugAssignStmt>();
        expr(a->value, s);
        if (a->target->is<NameExpr>()) s->used.insert(std::string(a->target->as<NameExpr>()->id));
        expr(a->target, s);
        break;
      }
      case StmtKind::AnnAssign: {
        auto* a = st->as<AnnAssignStmt>();
        if (a->value) expr(a->value, s);
        if (a->value || !a->target->is<NameExpr>()) expr(a->target, s);
        else if (a->target->is<NameExpr>()) s->bind(a->target->as<NameExpr>()->id);
        break;
      }
      case StmtKind::For: {
        auto* f = st->as<ForStmt>();
        expr(f->iter, s);
        expr(f->target, s);
        body(f->body, s);
        body(f->orelse, s);
        break;
      }
      case StmtKind::While: {
        auto* w = st->as<WhileStmt>();
        expr(w->test, s);
        body(w->body, s);
        body(w->orelse, s);
        break;
      }
      case StmtKind::If: {
        // An elif chain (an If alone in orelse) is walked in a loop, not by recursion: a
        // chain of thousands must not grow the C stack (ast.h, k_max_if_depth).
        auto* i = st->as<IfStmt>();
        for (;;) {
          expr(i->test, s);
          body(i->body, s);
          if (!is_elif(i->orelse)) break;
          i = i->orelse[0]->as<IfStmt>();
        }
        body(i->orelse, s);
        break;
      }
      case StmtKind::With: {
        auto* w = st->as<WithStmt>();
        for (WithItem* it : w->items) {
          expr(it->context_expr, s);
          if (it->optional_vars) expr(it->optional_vars, s);
        }
        body(w->body, s);
        break;
      }
      case StmtKind::Raise: {
        auto* r = st->as<RaiseStmt>();
        if (r->exc) expr(r->exc, s);
        if (r->cause) expr(r->cause, s);
        break;
      }
      case StmtKind::Try: {
        auto* t = st->as<TryStmt>();
        body(t->body, s);
        for (ExceptHandler* h : t->handlers) {
          if (h->type) expr(h->type, s);
          if (!h->name.empty()) s->bind(h->name);
          body(h->body, s);
        }
        body(t->orelse, s);
        body(t->finalbody, s);
        break;
      }
      case StmtKind::Assert: {
        auto* a = st->as<AssertStmt>();
        expr(a->test, s);
        if (a->msg) expr(a->msg, s);
        break;
      }
      case StmtKind::Import:
        for (Alias* a : st->as<ImportStmt>()->names) {
          std::string_view n = a->asname.empty() ? a->name.substr(0, a->name.find('.')) : a->asname;
          s->bind(n);
        }
        break;
      case StmtKind::ImportFrom:
        for (Alias* a : st->as<ImportFromStmt>()->names) {
          if (a->name == "*") {
            if (s->kind != ScopeKind::Module)
              error("import * only allowed at module level", st->loc);
            continue;
          }
          s->bind(a->asname.empty() ? a->name : a->asname);
        }
        break;
      case StmtKind::Global:
        for (std::string_view n : st->as<GlobalStmt>()->names) {
          std::string ns(n);
          if (s->kind != ScopeKind::Module) {
            if (is_param(s, n)) error("name '" + ns + "' is parameter and global", st->loc);
            else if (s->nonlocals.count(ns)) error("name '" + ns + "' is nonlocal and global", st->loc);
            else if (s->bound.count(ns)) error("name '" + ns + "' is assigned to before global declaration", st->loc);
            else if (s->used.count(ns)) error("name '" + ns + "' is used prior to global declaration", st->loc);
          }
          s->globals.insert(ns);
        }
        break;
      case StmtKind::Nonlocal:
        for (std::string_view n : st->as<NonlocalStmt>()->names) {
          std::string ns(n);
          if (s->kind == ScopeKind::Module) {
            error("nonlocal declaration not allowed at module level", st->loc);
            break;
          }
          if (is_param(s, n)) error("name '" + ns + "' is parameter and nonlocal", st->loc);
          else if (s->globals.count(ns)) error("name '" + ns + "' is nonlocal and global", st->loc);
          else if (s->bound.count(ns)) error("name '" + ns + "' is assigned to before nonlocal declaration", st->loc);
          else if (s->used.count(ns)) error("name '" + ns + "' is used prior to nonlocal declaration", st->loc);
          s->nonlocals.insert(ns);
        }
        break;
      case StmtKind::Expr:
        expr(st->as<ExprStmt>()->value, s);
        break;
      case StmtKind::Pass:
      case StmtKind::Break:
      case StmtKind::Continue:
        break;
    }
  }

  void comprehension(const Span<Comprehension*>& gens, std::initializer_list<Expr*> elts,
                     const char* name, Scope* s, const void* node) {
    expr(gens[0]->iter, s);
    Scope* c = new_scope(ScopeKind::Comprehension, name, s, node);
    c->params.emplace_back(".0");
    c->argcount = 1;
    for (std::uint32_t i = 0; i < gens.size(); i++) {
      if (i > 0) expr(gens[i]->iter, c);
      expr(gens[i]->target, c);
      for (Expr* e : gens[i]->ifs) expr(e, c);
    }
    for (Expr* e : elts) expr(e, c);
  }

  void tier2(const char* what, Loc loc) {
    error(std::string(what) + " are not supported by ftpy", loc);
  }

  void expr(Expr* e, Scope* s) {
    switch (e->kind) {
      case ExprKind::Name: {
        auto* n = e->as<NameExpr>();
        if (n->ctx == ExprContext::Load) {
          s->used.insert(std::string(n->id));
          if (n->id == "super" || n->id == "__class__") s->uses_class_cell = true;
        } else {
          s->bind(n->id);
        }
        break;
      }
      case ExprKind::BoolOp:
        for (Expr* v : e->as<BoolOpExpr>()->values) expr(v, s);
        break;
      case ExprKind::BinOp:
        expr(e->as<BinOpExpr>()->left, s);
        expr(e->as<BinOpExpr>()->right, s);
        break;
      case ExprKind::UnaryOp:
        expr(e->as<UnaryOpExpr>()->operand, s);
        break;
      case ExprKind::Lambda: {
        auto* l = e->as<LambdaExpr>();
        arg_defaults(l->args, s);
        Scope* c = new_scope(ScopeKind::Function, "<lambda>", s, l);
        add_params(l->args, c);
        expr(l->body, c);
        break;
      }
      case ExprKind::IfExp:
        expr(e->as<IfExpExpr>()->test, s);
        expr(e->as<IfExpExpr>()->body, s);
        expr(e->as<IfExpExpr>()->orelse, s);
        break;
      case ExprKind::Dict: {
        auto* d = e->as<DictExpr>();
        for (std::uint32_t i = 0; i < d->values.size(); i++) {
          if (d->keys[i]) expr(d->keys[i], s);
          expr(d->values[i], s);
        }
        break;
      }
      case ExprKind::ListComp: {
        auto* c = e->as<ListCompExpr>();
        comprehension(c->generators, {c->elt}, "<listcomp>", s, c);
        break;
      }
      case ExprKind::DictComp: {
        auto* c = e->as<DictCompExpr>();
        comprehension(c->generators, {c->key, c->value}, "<dictcomp>", s, c);
        break;
      }
      case ExprKind::Set:
        tier2("set displays", e->loc);
        break;
      case ExprKind::SetComp:
        tier2("set comprehensions", e->loc);
        break;
      case ExprKind::GeneratorExp:
        tier2("generator expressions", e->loc);
        break;
      case ExprKind::Yield:
      case ExprKind::YieldFrom:
        tier2("generators (yield)", e->loc);
        break;
      case ExprKind::NamedExpr:
        tier2("assignment expressions (:=)", e->loc);
        break;
      case ExprKind::Compare: {
        auto* c = e->as<CompareExpr>();
        expr(c->left, s);
        for (Expr* x : c->comparators) expr(x, s);
        break;
      }
      case ExprKind::Call: {
        auto* c = e->as<CallExpr>();
        expr(c->func, s);
        for (Expr* a : c->args) expr(a, s);
        for (Keyword* k : c->keywords) expr(k->value, s);
        break;
      }
      case ExprKind::FormattedValue: {
        auto* f = e->as<FormattedValueExpr>();
        expr(f->value, s);
        if (f->format_spec) expr(f->format_spec, s);
        break;
      }
      case ExprKind::JoinedStr:
        for (Expr* v : e->as<JoinedStrExpr>()->values) expr(v, s);
        break;
      case ExprKind::Constant: {
        auto* c = e->as<ConstantExpr>();
        if (c->value_kind == ConstantKind::Bytes) tier2("bytes literals", e->loc);
        if (c->value_kind == ConstantKind::Imaginary) tier2("complex numbers", e->loc);
        break;
      }
      case ExprKind::Attribute:
        expr(e->as<AttributeExpr>()->value, s);
        break;
      case ExprKind::Subscript:
        expr(e->as<SubscriptExpr>()->value, s);
        expr(e->as<SubscriptExpr>()->slice, s);
        break;
      case ExprKind::Starred:
        expr(e->as<StarredExpr>()->value, s);
        break;
      case ExprKind::List:
        for (Expr* x : e->as<ListExpr>()->elts) expr(x, s);
        break;
      case ExprKind::Tuple:
        for (Expr* x : e->as<TupleExpr>()->elts) expr(x, s);
        break;
      case ExprKind::Slice: {
        auto* sl = e->as<SliceExpr>();
        if (sl->lower) expr(sl->lower, s);
        if (sl->upper) expr(sl->upper, s);
        if (sl->step) expr(sl->step, s);
        break;
      }
    }
  }

  // ---- resolution ----

  void mark_free(Scope* s, const std::string& n) {
    if (s->index_of(s->freevars, n) < 0) s->freevars.push_back(n);
    auto it = s->syms.find(n);
    if (it == s->syms.end()) s->syms[n] = Sym::Free;
  }

  // Finds `n` in the scopes enclosing s; marks the cell and the free path. False: global.
  bool resolve_free(Scope* s, const std::string& n) {
    std::vector<Scope*> path{s};
    for (Scope* p = s->parent; p; p = p->parent) {
      if (p->kind == ScopeKind::Module) return false;
      if (p->kind == ScopeKind::Class) {
        if (n == "__class__" && p->has_class_cell) {
          for (Scope* q : path) mark_free(q, n);
          return true;
        }
        path.push_back(p);
        continue;
      }
      auto it = p->syms.find(n);
      if (it != p->syms.end()) {
        if (it->second == Sym::Global) return false;
        if (it->second == Sym::Local) {
          it->second = Sym::Cell;
          p->cellvars.push_back(n);
        }
        for (Scope* q : path) mark_free(q, n);
        return true;
      }
      path.push_back(p);
    }
    return false;
  }

  void resolve(Scope* s) {
    if (s->kind == ScopeKind::Module) {
      for (auto& n : s->bound_order) s->syms[n] = Sym::Global;
    } else if (s->is_function_like()) {
      for (auto& p : s->params) {
        if (s->syms.count(p)) continue;
        s->varnames.push_back(p);
        s->syms[p] = Sym::Local;
      }
      for (auto& n : s->globals) s->syms[n] = Sym::Global;
      for (auto& n : s->bound_order) {
        if (s->syms.count(n) || s->globals.count(n) || s->nonlocals.count(n)) continue;
        s->varnames.push_back(n);
        s->syms[n] = Sym::Local;
      }
    } else {  // class
      for (auto& n : s->globals) s->syms[n] = Sym::Global;
      for (auto& n : s->bound_order)
        if (!s->syms.count(n) && !s->nonlocals.count(n)) s->syms[n] = Sym::Name;
      // Methods that use super()/__class__ need the class cell.
      for (Scope* c : s->children)
        if (c->kind == ScopeKind::Function && subtree_uses_class(c)) s->has_class_cell = true;
      if (s->has_class_cell) s->cellvars.push_back("__class__");
    }
    for (auto& n : s->nonlocals) {
      if (!resolve_free(s, n)) {
        error("no binding for nonlocal '" + n + "' found", Loc{});
        return;
      }
    }
    if (s->kind != ScopeKind::Module) {
      std::set<std::string> uses = s->used;
      if (s->kind == ScopeKind::Function && s->uses_class_cell) uses.insert("__class__");
      for (auto& n : uses) {
        if (s->syms.count(n)) continue;
        if (s->kind == ScopeKind::Class) {
          if (!resolve_free(s, n)) s->syms[n] = Sym::Name;
        } else if (!resolve_free(s, n)) {
          s->syms[n] = Sym::Global;
        }
      }
    }
    for (Scope* c : s->children) resolve(c);
  }

  bool subtree_uses_class(Scope* s) {
    if (s->uses_class_cell) return true;
    for (Scope* c : s->children)
      if (c->kind != ScopeKind::Class && subtree_uses_class(c)) return true;
    return false;
  }
};

}  // namespace

void build_symbol_table(const Module* module, SymbolTable* out) {
  ScopeBuilder sb{*out};
  Scope* top = sb.new_scope(ScopeKind::Module, "<module>", nullptr, module);
  sb.body(module->body, top);
  if (!out->err.set) sb.resolve(top);
}

}  // namespace ftpy::interp
