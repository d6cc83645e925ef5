// ast.cpp: the arena and the S-expression dump of a tree (see ast.h).
// Dump grammar: a Name prints as its id; constants as Python literals (None, 1, 1.5, 'a',
// b'a', ...); every other node as `(head child...)`: (+ a b), (u- a), (not a), (and a b),
// (< a b) or (cmp a < b <= c), (if test body orelse), (lambda (params ...) body), (:= x v),
// (call f args... (kw k v) (** d)), (. obj attr), ([] obj slice), (slice lo hi step) with `_`
// for a missing part, (* x), (tuple ...), (list ...), (set ...), (dict (k v) (** d)),
// (listcomp elt (for t iter (if c))...), (f parts...), (fv value !r spec), (yield v),
// (yield-from v). Statements: (= targets... value), (+= t v), (def name (params ...) [(-> r)]
// [(@ decorators...)] body...), (class name (bases ...) [(@ ...)] body...), (if test (body...)
// [(else...)]), (for t iter (body...) [(else ...)]), (while ...), (try (body...) (except T
// name (body...))... [(else ...)] [(finally ...)]), (with ((as ctx var) ctx2) (body...)),
// (return v), (del ...), (raise X from Y), (assert t m), (import a.b (as c d)),
// (from ..m a (as b c)), (global a b), pass, break, continue; an expression statement is its
// expression. A module is its statements, one per line.
#include "interp/front/ast.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ftpy::interp {

Arena::~Arena() {
  while (m_chunks != nullptr) {
    Chunk* next = m_chunks->next;
    std::free(m_chunks);
    m_chunks = next;
  }
}

void* Arena::allocate_slow(std::size_t size, std::size_t align) {
  std::size_t need = size + align + sizeof(Chunk);
  std::size_t chunk_size = m_next_size;
  if (chunk_size < need) chunk_size = need;
  // Grow geometrically up to 1 MiB chunks so big files take few mallocs.
  if (m_next_size < 1024 * 1024) m_next_size *= 2;
  auto* chunk = static_cast<Chunk*>(std::malloc(chunk_size));
  if (chunk == nullptr) {
    std::fputs("ftpy: out of memory while parsing\n", stderr);
    std::abort();
  }
  chunk->next = m_chunks;
  m_chunks = chunk;
  m_total += chunk_size;
  m_cur = reinterpret_cast<std::uintptr_t>(chunk) + sizeof(Chunk);
  m_end = reinterpret_cast<std::uintptr_t>(chunk) + chunk_size;
  return allocate(size, align);
}

std::string_view Arena::copy_string(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);
  auto* p = static_cast<char*>(allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

std::string_view operator_text(OperatorKind op) {
  switch (op) {
    case OperatorKind::Add: return "+";
    case OperatorKind::Sub: return "-";
    case OperatorKind::Mult: return "*";
    case OperatorKind::MatMult: return "@";
    case OperatorKind::Div: return "/";
    case OperatorKind::Mod: return "%";
    case OperatorKind::Pow: return "**";
    case OperatorKind::LShift: return "<<";
    case OperatorKind::RShift: return ">>";
    case OperatorKind::BitOr: return "|";
    case OperatorKind::BitXor: return "^";
    case OperatorKind::BitAnd: return "&";
    case OperatorKind::FloorDiv: return "//";
  }
  return "?";
}

std::string_view cmp_op_text(CmpOpKind op) {
  switch (op) {
    case CmpOpKind::Eq: return "==";
    case CmpOpKind::NotEq: return "!=";
    case CmpOpKind::Lt: return "<";
    case CmpOpKind::LtE: return "<=";
    case CmpOpKind::Gt: return ">";
    case CmpOpKind::GtE: return ">=";
    case CmpOpKind::Is: return "is";
    case CmpOpKind::IsNot: return "is not";
    case CmpOpKind::In: return "in";
    case CmpOpKind::NotIn: return "not in";
  }
  return "?";
}

namespace {

class Dumper {
 public:
  std::string out;

  void expr(const Expr* e) {
    if (e == nullptr) {
      out += '_';
      return;
    }
    switch (e->kind) {
      case ExprKind::Name: out += e->as<NameExpr>()->id; return;
      case ExprKind::Constant: constant(e->as<ConstantExpr>()); return;
      case ExprKind::BoolOp: {
        auto* b = e->as<BoolOpExpr>();
        open(b->op == BoolOpKind::And ? "and" : "or");
        exprs(b->values);
        break;
      }
      case ExprKind::NamedExpr: {
        auto* n = e->as<NamedExpr>();
        open(":=");
        sp_expr(n->target);
        sp_expr(n->value);
        break;
      }
      case ExprKind::BinOp: {
        auto* b = e->as<BinOpExpr>();
        open(operator_text(b->op));
        sp_expr(b->left);
        sp_expr(b->right);
        break;
      }
      case ExprKind::UnaryOp: {
        auto* u = e->as<UnaryOpExpr>();
        static constexpr std::string_view k_names[] = {"~", "not", "u+", "u-"};
        open(k_names[static_cast<int>(u->op)]);
        sp_expr(u->operand);
        break;
      }
      case ExprKind::Lambda: {
        auto* l = e->as<LambdaExpr>();
        open("lambda");
        out += ' ';
        arguments(l->args);
        sp_expr(l->body);
        break;
      }
      case ExprKind::IfExp: {
        auto* i = e->as<IfExpExpr>();
        open("if");
        sp_expr(i->test);
        sp_expr(i->body);
        sp_expr(i->orelse);
        break;
      }
      case ExprKind::Dict: {
        auto* d = e->as<DictExpr>();
        open("dict");
        for (std::uint32_t i = 0; i < d->keys.size(); i++) {
          out += d->keys[i] == nullptr ? " (**" : " (";
          if (d->keys[i] != nullptr) {
            expr(d->keys[i]);
          }
          sp_expr(d->values[i]);
          out += ')';
        }
        break;
      }
      case ExprKind::Set:
        open("set");
        exprs(e->as<SetExpr>()->elts);
        break;
      case ExprKind::ListComp: comp("listcomp", e->as<ListCompExpr>()->elt, nullptr, e->as<ListCompExpr>()->generators); break;
      case ExprKind::SetComp: comp("setcomp", e->as<SetCompExpr>()->elt, nullptr, e->as<SetCompExpr>()->generators); break;
      case ExprKind::GeneratorExp: comp("genexp", e->as<GeneratorExpExpr>()->elt, nullptr, e->as<GeneratorExpExpr>()->generators); break;
      case ExprKind::DictComp: {
        auto* d = e->as<DictCompExpr>();
        comp("dictcomp", d->key, d->value, d->generators);
        break;
      }
      case ExprKind::Yield:
        open("yield");
        if (e->as<YieldExpr>()->value != nullptr) sp_expr(e->as<YieldExpr>()->value);
        break;
      case ExprKind::YieldFrom:
        open("yield-from");
        sp_expr(e->as<YieldFromExpr>()->value);
        break;
      case ExprKind::Compare: {
        auto* c = e->as<CompareExpr>();
        if (c->ops.size() == 1) {
          open(cmp_op_text(c->ops[0]));
          sp_expr(c->left);
          sp_expr(c->comparators[0]);
        } else {
          open("cmp");
          sp_expr(c->left);
          for (std::uint32_t i = 0; i < c->ops.size(); i++) {
            out += ' ';
            out += cmp_op_text(c->ops[i]);
            sp_expr(c->comparators[i]);
          }
        }
        break;
      }
      case ExprKind::Call: {
        auto* c = e->as<CallExpr>();
        open("call");
        sp_expr(c->func);
        exprs(c->args);
        keywords(c->keywords);
        break;
      }
      case ExprKind::FormattedValue: {
        auto* f = e->as<FormattedValueExpr>();
        open("fv");
        sp_expr(f->value);
        if (f->conversion != 0) {
          out += " !";
          out += f->conversion;
        }
        if (f->format_spec != nullptr) sp_expr(f->format_spec);
        break;
      }
      case ExprKind::JoinedStr:
        open("f");
        exprs(e->as<JoinedStrExpr>()->values);
        break;
      case ExprKind::Attribute: {
        auto* a = e->as<AttributeExpr>();
        open(".");
        sp_expr(a->value);
        out += ' ';
        out += a->attr;
        break;
      }
      case ExprKind::Subscript: {
        auto* s = e->as<SubscriptExpr>();
        open("[]");
        sp_expr(s->value);
        sp_expr(s->slice);
        break;
      }
      case ExprKind::Starred:
        open("*");
        sp_expr(e->as<StarredExpr>()->value);
        break;
      case ExprKind::List:
        open("list");
        exprs(e->as<ListExpr>()->elts);
        break;
      case ExprKind::Tuple:
        open("tuple");
        exprs(e->as<TupleExpr>()->elts);
        break;
      case ExprKind::Slice: {
        auto* s = e->as<SliceExpr>();
        open("slice");
        sp_expr(s->lower);
        sp_expr(s->upper);
        sp_expr(s->step);
        break;
      }
    }
    out += ')';
  }

  void stmt(const Stmt* s) {
    switch (s->kind) {
      case StmtKind::Expr: expr(s->as<ExprStmt>()->value); return;
      case StmtKind::Pass: out += "pass"; return;
      case StmtKind::Break: out += "break"; return;
      case StmtKind::Continue: out += "continue"; return;
      case StmtKind::FunctionDef: {
        auto* f = s->as<FunctionDefStmt>();
        open("def");
        out += ' ';
        out += f->name;
        out += ' ';
        arguments(f->args);
        if (f->returns != nullptr) {
          out += " (->";
          sp_expr(f->returns);
          out += ')';
        }
        decorators(f->decorator_list);
        stmts_inline(f->body);
        break;
      }
      case StmtKind::ClassDef: {
        auto* c = s->as<ClassDefStmt>();
        open("class");
        out += ' ';
        out += c->name;
        out += " (bases";
        exprs(c->bases);
        keywords(c->keywords);
        out += ')';
        decorators(c->decorator_list);
        stmts_inline(c->body);
        break;
      }
      case StmtKind::Return:
        open("return");
        if (s->as<ReturnStmt>()->value != nullptr) sp_expr(s->as<ReturnStmt>()->value);
        break;
      case StmtKind::Delete:
        open("del");
        exprs(s->as<DeleteStmt>()->targets);
        break;
      case StmtKind::Assign: {
        auto* a = s->as<AssignStmt>();
        open("=");
        exprs(a->targets);
        sp_expr(a->value);
        break;
      }
      case StmtKind::AugAssign: {
        auto* a = s->as<AugAssignStmt>();
        open(std::string(operator_text(a->op)) + "=");
        sp_expr(a->target);
        sp_expr(a->value);
        break;
      }
      case StmtKind::AnnAssign: {
        auto* a = s->as<AnnAssignStmt>();
        open("ann");
        sp_expr(a->target);
        sp_expr(a->annotation);
        if (a->value != nullptr) sp_expr(a->value);
        break;
      }
      case StmtKind::For: {
        auto* f = s->as<ForStmt>();
        open("for");
        sp_expr(f->target);
        sp_expr(f->iter);
        block(f->body);
        if (!f->orelse.empty()) block(f->orelse, "else");
        break;
      }
      case StmtKind::While: {
        auto* w = s->as<WhileStmt>();
        open("while");
        sp_expr(w->test);
        block(w->body);
        if (!w->orelse.empty()) block(w->orelse, "else");
        break;
      }
      case StmtKind::If: {
        auto* i = s->as<IfStmt>();
        open("if");
        sp_expr(i->test);
        block(i->body);
        if (!i->orelse.empty()) block(i->orelse, "else");
        break;
      }
      case StmtKind::With: {
        auto* w = s->as<WithStmt>();
        open("with");
        out += " (";
        bool first = true;
        for (const WithItem* item : w->items) {
          if (!first) out += ' ';
          first = false;
          if (item->optional_vars != nullptr) {
            out += "(as ";
            expr(item->context_expr);
            sp_expr(item->optional_vars);
            out += ')';
          } else {
            expr(item->context_expr);
          }
        }
        out += ')';
        block(w->body);
        break;
      }
      case StmtKind::Raise: {
        auto* r = s->as<RaiseStmt>();
        open("raise");
        if (r->exc != nullptr) sp_expr(r->exc);
        if (r->cause != nullptr) {
          out += " from";
          sp_expr(r->cause);
        }
        break;
      }
      case StmtKind::Try: {
        auto* t = s->as<TryStmt>();
        open("try");
        block(t->body);
        for (const ExceptHandler* h : t->handlers) {
          out += " (except";
          if (h->type != nullptr) sp_expr(h->type);
          if (!h->name.empty()) {
            out += ' ';
            out += h->name;
          }
          block(h->body);
          out += ')';
        }
        if (!t->orelse.empty()) block(t->orelse, "else");
        if (!t->finalbody.empty()) block(t->finalbody, "finally");
        break;
      }
      case StmtKind::Assert: {
        auto* a = s->as<AssertStmt>();
        open("assert");
        sp_expr(a->test);
        if (a->msg != nullptr) sp_expr(a->msg);
        break;
      }
      case StmtKind::Import:
        open("import");
        aliases(s->as<ImportStmt>()->names);
        break;
      case StmtKind::ImportFrom: {
        auto* i = s->as<ImportFromStmt>();
        open("from");
        out += ' ';
        out.append(i->level, '.');
        out += i->module;
        aliases(i->names);
        break;
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal: {
        bool global = s->kind == StmtKind::Global;
        open(global ? "global" : "nonlocal");
        auto names = global ? s->as<GlobalStmt>()->names : s->as<NonlocalStmt>()->names;
        for (std::string_view n : names) {
          out += ' ';
          out += n;
        }
        break;
      }
    }
    out += ')';
  }

 private:
  void open(std::string_view head) {
    out += '(';
    out += head;
  }
  void sp_expr(const Expr* e) {
    out += ' ';
    expr(e);
  }
  void exprs(Span<Expr*> list) {
    for (const Expr* e : list) sp_expr(e);
  }
  void keywords(Span<Keyword*> list) {
    for (const Keyword* k : list) {
      if (k->arg.data() == nullptr) {
        out += " (**";
      } else {
        out += " (kw ";
        out += k->arg;
      }
      sp_expr(k->value);
      out += ')';
    }
  }
  void decorators(Span<Expr*> list) {
    if (list.empty()) return;
    out += " (@";
    exprs(list);
    out += ')';
  }
  void stmts_inline(Span<Stmt*> body) {
    for (const Stmt* s : body) {
      out += ' ';
      stmt(s);
    }
  }
  void block(Span<Stmt*> body, std::string_view head = {}) {
    out += " (";
    out += head;
    bool first = head.empty();
    for (const Stmt* s : body) {
      if (!first) out += ' ';
      first = false;
      stmt(s);
    }
    out += ')';
  }
  void aliases(Span<Alias*> list) {
    for (const Alias* a : list) {
      out += ' ';
      if (a->asname.empty()) {
        out += a->name;
      } else {
        out += fmt::format("(as {} {})", a->name, a->asname);
      }
    }
  }
  void comp(std::string_view head, const Expr* elt, const Expr* value,
            Span<Comprehension*> generators) {
    open(head);
    sp_expr(elt);
    if (value != nullptr) sp_expr(value);
    for (const Comprehension* c : generators) {
      out += " (for";
      sp_expr(c->target);
      sp_expr(c->iter);
      for (const Expr* cond : c->ifs) {
        out += " (if";
        sp_expr(cond);
        out += ')';
      }
      out += ')';
    }
  }
  void arg(const Arg* a, std::string_view prefix, const Expr* default_value) {
    out += ' ';
    if (default_value != nullptr) out += "(= ";
    if (a->annotation != nullptr) out += "(: ";
    out += prefix;
    out += a->name;
    if (a->annotation != nullptr) {
      sp_expr(a->annotation);
      out += ')';
    }
    if (default_value != nullptr) {
      sp_expr(default_value);
      out += ')';
    }
  }
  void arguments(const Arguments* a) {
    out += "(params";
    std::uint32_t positional = a->posonlyargs.size() + a->args.size();
    std::uint32_t first_default = positional - a->defaults.size();
    std::uint32_t i = 0;
    for (const Arg* p : a->posonlyargs) {
      arg(p, "", i >= first_default ? a->defaults[i - first_default] : nullptr);
      i++;
    }
    if (!a->posonlyargs.empty()) out += " /";
    for (const Arg* p : a->args) {
      arg(p, "", i >= first_default ? a->defaults[i - first_default] : nullptr);
      i++;
    }
    if (a->vararg != nullptr) {
      arg(a->vararg, "*", nullptr);
    } else if (!a->kwonlyargs.empty()) {
      out += " *";
    }
    for (std::uint32_t k = 0; k < a->kwonlyargs.size(); k++) {
      arg(a->kwonlyargs[k], "", a->kw_defaults[k]);
    }
    if (a->kwarg != nullptr) arg(a->kwarg, "**", nullptr);
    out += ')';
  }
  void quoted(std::string_view s, bool bytes) {
    if (bytes) out += 'b';
    out += '\'';
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case '\'': out += "\\'"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
          if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
            out += fmt::format("\\x{:02x}", c);
          } else {
            out += ch;
          }
      }
    }
    out += '\'';
  }
  void constant(const ConstantExpr* c) {
    switch (c->value_kind) {
      case ConstantKind::None: out += "None"; return;
      case ConstantKind::True: out += "True"; return;
      case ConstantKind::False: out += "False"; return;
      case ConstantKind::Ellipsis: out += "..."; return;
      case ConstantKind::Int:
        if (c->int_overflow) {
          out += c->text;
        } else {
          out += fmt::format("{}", c->int_value);
        }
        return;
      case ConstantKind::Float:
      case ConstantKind::Imaginary: {
        std::string f = fmt::format("{}", c->float_value);
        if (f.find_first_of(".en") == std::string::npos) f += ".0";  // Python's repr: 1.0
        out += f;
        if (c->value_kind == ConstantKind::Imaginary) out += 'j';
        return;
      }
      case ConstantKind::Str: quoted(c->text, false); return;
      case ConstantKind::Bytes: quoted(c->text, true); return;
    }
  }
};

}  // namespace

std::string dump(const Expr* expr) {
  Dumper d;
  d.expr(expr);
  return std::move(d.out);
}

std::string dump(const Stmt* stmt) {
  Dumper d;
  d.stmt(stmt);
  return std::move(d.out);
}

std::string dump(const Module* module) {
  Dumper d;
  bool first = true;
  for (const Stmt* s : module->body) {
    if (!first) d.out += '\n';
    first = false;
    d.stmt(s);
  }
  return std::move(d.out);
}

}  // namespace ftpy::interp
