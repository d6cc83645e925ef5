// compiler.cpp: code generation (see compiler.h), over the scopes of symtable.h.
// Module-level names compile to the cached global ops; class bodies use the namespace-dict
// Name ops.
// `return`/`break`/`continue` leaving try/with/except blocks are compiled by unwinding a
// compile-time block stack: finally bodies are emitted inline on those paths (CPython 3.9).
// Value-stack and block-stack depths are computed by a flow pass over the finished code.
#include "interp/compile/compiler.h"

#include "interp/compile/symtable.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "interp/front/parser.h"
#include "interp/front/source.h"

namespace ftpy::interp {

namespace {

enum class FbKind { WhileLoop, ForLoop, TryExcept, TryFinally, HandlerBody, FinallyHandler, With };
struct FBlock {
  FbKind kind;
  int break_label = -1, continue_label = -1;
  const Span<Stmt*>* finalbody = nullptr;
  std::string_view name;
};

struct Unit {
  Scope* scope;
  CodeParts parts;
  std::vector<int> labels;
  std::vector<std::pair<std::size_t, int>> patches;
  std::unordered_map<std::string, std::uint32_t> const_index, name_index;
  std::vector<FBlock> fblocks;
  std::uint32_t line = 1;
};

BinaryOp binop_of(OperatorKind k) {
  switch (k) {
    case OperatorKind::Add: return BinaryOp::Add;
    case OperatorKind::Sub: return BinaryOp::Sub;
    case OperatorKind::Mult: return BinaryOp::Mul;
    case OperatorKind::MatMult: return BinaryOp::MatMul;
    case OperatorKind::Div: return BinaryOp::TrueDiv;
    case OperatorKind::Mod: return BinaryOp::Mod;
    case OperatorKind::Pow: return BinaryOp::Pow;
    case OperatorKind::LShift: return BinaryOp::LShift;
    case OperatorKind::RShift: return BinaryOp::RShift;
    case OperatorKind::BitOr: return BinaryOp::Or;
    case OperatorKind::BitXor: return BinaryOp::Xor;
    case OperatorKind::BitAnd: return BinaryOp::And;
    case OperatorKind::FloorDiv: return BinaryOp::FloorDiv;
  }
  return BinaryOp::Add;
}

class CodeGen {
 public:
  CodeGen(SymbolTable& st, const Source& src) : m_st(st), m_src(src) {
    m_filename = intern(src.filename());
  }

  CompileError m_err;

  CodeObject* module(const Module* mod) {
    Scope* s = m_st.map[mod];
    begin(s, "<module>", 1);
    stmts(mod->body);
    emit(LOAD_CONST, const_none());
    emit(RETURN_VALUE);
    return finish();
  }

 private:
  SymbolTable& m_st;
  [[maybe_unused]] const Source& m_src;
  StrObject* m_filename;
  std::vector<std::unique_ptr<Unit>> m_units;
  Unit* u = nullptr;

  void error(std::string msg, Loc loc) {
    if (m_err.set) return;
    m_err.set = true;
    m_err.message = std::move(msg);
    m_err.loc = loc;
  }

  void begin(Scope* s, std::string_view name, std::uint32_t first_line) {
    m_units.push_back(std::make_unique<Unit>());
    u = m_units.back().get();
    u->scope = s;
    u->line = first_line;
    CodeParts& p = u->parts;
    p.name = intern(name);
    p.qualname = intern(s->kind == ScopeKind::Module ? std::string(name) : s->qualname);
    p.filename = m_filename;
    p.first_line = first_line;
    for (auto& n : s->varnames) p.varnames.push_back(intern(n));
    for (auto& n : s->cellvars) p.cellvars.push_back(intern(n));
    for (auto& n : s->freevars) p.freevars.push_back(intern(n));
    for (auto& c : s->cellvars) p.cell2arg.push_back(s->index_of(s->params, c) >= 0 &&
                                                             s->index_of(s->varnames, c) >= 0
                                                         ? s->index_of(s->varnames, c)
                                                         : -1);
    p.argcount = s->argcount;
    p.kwonlyargcount = s->kwonly;
    if (s->varargs) p.flags |= k_co_varargs;
    if (s->varkw) p.flags |= k_co_varkw;
    if (!s->varargs && !s->varkw && !s->kwonly) p.flags |= k_co_simple_args;
    if (s->kind == ScopeKind::Module) p.flags |= k_co_module;
    if (s->kind == ScopeKind::Class) p.flags |= k_co_class_body | k_co_uses_locals_dict;
  }

  // Finishes the current unit: patches jumps, computes depths, builds the code object, and
  // returns to the enclosing unit.
  CodeObject* finish() {
    CodeParts& p = u->parts;
    for (auto& [at, label] : u->patches) {
      std::uint32_t w = p.instrs[at];
      p.instrs[at] = make_instr(instr_op(w), std::uint32_t(u->labels[label]));
    }
    compute_depths();
    fuse(p.instrs);
    if (p.cell2arg.empty()) p.cell2arg.clear();
    CodeObject* code = m_err.set ? nullptr : make_code(p);
    if (m_err.set)
      for (Value v : p.consts) decref(v);
    m_units.pop_back();
    u = m_units.empty() ? nullptr : m_units.back().get();
    return code;
  }

  // Superinstructions (opcodes.def): rewrites the opcode of a sequence's first instruction and
  // leaves every argument and the sequence's other instructions as they were, so jumps into the
  // sequence, line numbers and stack depths stay right. Runs after compute_depths.
  static void fuse(std::vector<std::uint32_t>& in) {
    for (std::size_t i = 0; i + 1 < in.size(); i++) {
      if (instr_op(in[i]) != LOAD_FAST) continue;
      int next = instr_op(in[i + 1]);
      int after = i + 2 < in.size() ? instr_op(in[i + 2]) : -1;
      int fused = -1;
      if (next == LOAD_FAST && (after == BINARY_OP || after == INPLACE_OP))
        fused = LOAD_FAST_LOAD_FAST_BINARY;
      else if (next == LOAD_CONST && after == BINARY_SUBSCR)
        fused = LOAD_FAST_SUBSCR_CONST;
      else if (next == BINARY_OP || next == INPLACE_OP)
        fused = LOAD_FAST_BINARY;
      else if (next == LOAD_FAST)
        fused = LOAD_FAST_LOAD_FAST;
      if (fused >= 0) in[i] = make_instr(fused, instr_arg(in[i]));
    }
  }

  static int stack_effect(int op, std::uint32_t arg, bool jump) {
    switch (op) {
      case NOP: case ROT_TWO: case ROT_THREE: case ROT_FOUR: return 0;
      case POP_TOP: return -1;
      case DUP_TOP: return 1;
      case DUP_TOP_TWO: return 2;
      case LOAD_CONST: case LOAD_FAST: case LOAD_DEREF: case LOAD_CLASSDEREF:
      case LOAD_CLOSURE: case LOAD_GLOBAL: case LOAD_NAME: return 1;
      case STORE_FAST: case STORE_DEREF: case STORE_GLOBAL: case STORE_NAME: return -1;
      case DELETE_FAST: case DELETE_DEREF: case DELETE_GLOBAL: case DELETE_NAME: return 0;
      case LOAD_ATTR: return 0;
      case STORE_ATTR: return -2;
      case DELETE_ATTR: return -1;
      case LOAD_METHOD: return 1;
      case BINARY_SUBSCR: return -1;
      case STORE_SUBSCR: return -3;
      case DELETE_SUBSCR: return -2;
      case BUILD_SLICE: return 1 - int(arg);
      case BINARY_OP: case INPLACE_OP: return -1;
      case UNARY_OP: case UNARY_NOT: return 0;
      case COMPARE_OP: case IS_OP: case CONTAINS_OP: return -1;
      case JUMP: case JUMP_BACKWARD: return 0;
      case POP_JUMP_IF_FALSE: case POP_JUMP_IF_TRUE: return -1;
      case JUMP_IF_FALSE_OR_POP: case JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
      case GET_ITER: return 1;
      case FOR_ITER: return jump ? -2 : 1;
      case BUILD_TUPLE: case BUILD_LIST: return 1 - int(arg);
      case BUILD_MAP: return 1 - 2 * int(arg);
      case LIST_APPEND: case LIST_EXTEND: case DICT_UPDATE: case DICT_MERGE: return -1;
      case MAP_ADD: return -2;
      case LIST_TO_TUPLE: return 0;
      case UNPACK_SEQUENCE: return int(arg) - 1;
      case UNPACK_EX: return int(arg & 0xff) + int(arg >> 8);
      case PUSH_NULL: return 1;
      case CALL: return -int(arg) - 1;
      case CALL_KW: return -int(arg) - 2;
      case CALL_EX: return -3 - int(arg & 1) + 1;
      case MAKE_FUNCTION:
        return -int(((arg & 1) != 0) + ((arg & 2) != 0) + ((arg & 8) != 0));
      case RETURN_VALUE: return -1;
      case FORMAT_VALUE: return (arg & 4) ? -1 : 0;
      case BUILD_STRING: return 1 - int(arg);
      case RAISE: return -int(arg);
      case RERAISE: return -1;
      case SETUP_FINALLY: return jump ? 1 : 0;
      case POP_BLOCK: case POP_EXCEPT: return 0;
      case CHECK_EXC_MATCH: return 0;
      case BEFORE_WITH: return 1;
      case WITH_EXIT: return -1;
      case WITH_EXCEPT: return 1;
      case LOAD_ASSERTION_ERROR: case LOAD_BUILD_CLASS: return 1;
      case IMPORT_NAME: case IMPORT_FROM: return 1;
      case IMPORT_STAR: return -1;
    }
    return 0;
  }

  void compute_depths() {
    CodeParts& p = u->parts;
    std::size_t n = p.instrs.size();
    std::vector<int> depth(n, -1), blocks(n, -1);
    std::vector<std::size_t> work;
    int max_depth = 0, max_blocks = 0;
    auto push = [&](std::size_t i, int d, int b) {
      if (i >= n) return;
      if (depth[i] >= d && blocks[i] >= b) return;
      depth[i] = std::max(depth[i], d);
      blocks[i] = std::max(blocks[i], b);
      work.push_back(i);
    };
    push(0, 0, 0);
    while (!work.empty()) {
      std::size_t i = work.back();
      work.pop_back();
      int d = depth[i], b = blocks[i];
      std::uint32_t w = p.instrs[i];
      int op = instr_op(w);
      std::uint32_t arg = instr_arg(w);
      max_depth = std::max(max_depth, d);
      max_blocks = std::max(max_blocks, b);
      int nb = b;
      if (op == SETUP_FINALLY) nb = b + 1;
      if (op == POP_BLOCK || op == POP_EXCEPT) nb = b - 1;
      bool is_jump = op == JUMP || op == JUMP_BACKWARD || op == POP_JUMP_IF_FALSE ||
                     op == POP_JUMP_IF_TRUE || op == JUMP_IF_FALSE_OR_POP ||
                     op == JUMP_IF_TRUE_OR_POP || op == FOR_ITER || op == SETUP_FINALLY;
      if (is_jump) {
        int jd = d + stack_effect(op, arg, true);
        max_depth = std::max(max_depth, jd);
        max_blocks = std::max(max_blocks, nb);
        push(arg, jd, nb);
      }
      if (op == JUMP || op == JUMP_BACKWARD || op == RETURN_VALUE || op == RAISE ||
          op == RERAISE)
        continue;
      int fd = d + stack_effect(op, arg, false);
      max_depth = std::max(max_depth, fd);
      push(i + 1, fd, nb);
    }
    p.stacksize = std::uint32_t(max_depth + 2);
    p.maxblocks = std::uint32_t(max_blocks + 1);
  }

  // ---- emission ----

  std::size_t emit(int op, std::uint32_t arg = 0) {
    if (arg > k_max_oparg) error("too many constants or names in one code object", Loc{u->line, 0, 0, 0});
    u->parts.instrs.push_back(make_instr(op, arg));
    u->parts.lines.push_back(u->line);
    return u->parts.instrs.size() - 1;
  }
  int new_label() {
    u->labels.push_back(-1);
    return int(u->labels.size() - 1);
  }
  void bind(int label) { u->labels[label] = int(u->parts.instrs.size()); }
  void emit_jump(int op, int label) {
    if (op == JUMP && u->labels[label] >= 0) op = JUMP_BACKWARD;
    std::size_t at = emit(op, 0);
    u->patches.push_back({at, label});
  }

  std::uint32_t add_const(std::string key, Value v) {
    auto it = u->const_index.find(key);
    if (it != u->const_index.end()) {
      decref(v);
      return it->second;
    }
    std::uint32_t i = std::uint32_t(u->parts.consts.size());
    u->parts.consts.push_back(v);
    if (!key.empty()) u->const_index[key] = i;
    return i;
  }
  std::uint32_t const_none() { return add_const("N", none()); }
  std::uint32_t const_str(std::string_view s) {
    StrObject* o = intern(s);
    return add_const("s" + std::string(s), Value::from(&o->header));
  }
  std::uint32_t name_idx(std::string_view n) {
    std::string k(n);
    auto it = u->name_index.find(k);
    if (it != u->name_index.end()) return it->second;
    std::uint32_t i = std::uint32_t(u->parts.names.size());
    u->parts.names.push_back(intern(n));
    u->name_index[k] = i;
    return i;
  }
  std::uint32_t cache_for(std::string_view n) {
    std::uint32_t ni = name_idx(n);
    u->parts.cache_names.push_back(ni);
    return std::uint32_t(u->parts.cache_names.size() - 1);
  }

  // ---- names ----

  enum class Access { Load, Store, Del };

  void name_op(std::string_view id, Access a, Loc loc) {
    Scope* s = u->scope;
    std::string n(id);
    auto it = s->syms.find(n);
    Sym sym = it == s->syms.end() ? (s->kind == ScopeKind::Class ? Sym::Name : Sym::Global)
                                  : it->second;
    if (s->kind == ScopeKind::Module) sym = Sym::Global;
    switch (sym) {
      case Sym::Local: {
        std::uint32_t i = std::uint32_t(s->index_of(s->varnames, n));
        emit(a == Access::Load ? LOAD_FAST : a == Access::Store ? STORE_FAST : DELETE_FAST, i);
        return;
      }
      case Sym::Cell:
      case Sym::Free: {
        std::uint32_t i = deref_index(n);
        if (a == Access::Load && s->kind == ScopeKind::Class) {
          emit(LOAD_CLASSDEREF, i);
          return;
        }
        emit(a == Access::Load ? LOAD_DEREF : a == Access::Store ? STORE_DEREF : DELETE_DEREF, i);
        return;
      }
      case Sym::Global:
        if (a == Access::Load)
          emit(LOAD_GLOBAL, cache_for(n));
        else
          emit(a == Access::Store ? STORE_GLOBAL : DELETE_GLOBAL, name_idx(n));
        return;
      case Sym::Name:
        emit(a == Access::Load ? LOAD_NAME : a == Access::Store ? STORE_NAME : DELETE_NAME,
             name_idx(n));
        return;
    }
    (void)loc;
  }

  std::uint32_t deref_index(const std::string& n) {
    Scope* s = u->scope;
    int c = s->index_of(s->cellvars, n);
    if (c >= 0) return std::uint32_t(s->varnames.size() + std::size_t(c));
    int f = s->index_of(s->freevars, n);
    return std::uint32_t(s->varnames.size() + s->cellvars.size() + std::size_t(f < 0 ? 0 : f));
  }

  // ---- statements ----

  void stmts(const Span<Stmt*>& body) {
    for (Stmt* s : body) {
      if (m_err.set) return;
      stmt(s);
    }
  }

  void stmt(Stmt* s) {
    u->line = s->loc.line;
    switch (s->kind) {
      case StmtKind::FunctionDef: function_def(s->as<FunctionDefStmt>()); break;
      case StmtKind::ClassDef: class_def(s->as<ClassDefStmt>()); break;
      case StmtKind::Return: {
        auto* r = s->as<ReturnStmt>();
        if (r->value) expr(r->value);
        else emit(LOAD_CONST, const_none());
        unwind_all(true);
        u->line = s->loc.line;
        emit(RETURN_VALUE);
        break;
      }
      case StmtKind::Delete:
        for (Expr* t : s->as<DeleteStmt>()->targets) del_target(t);
        break;
      case StmtKind::Assign: {
        auto* a = s->as<AssignStmt>();
        expr(a->value);
        for (std::uint32_t i = 0; i < a->targets.size(); i++) {
          if (i + 1 < a->targets.size()) emit(DUP_TOP);
          store(a->targets[i]);
        }
        break;
      }
      case StmtKind::AugAssign: aug_assign(s->as<AugAssignStmt>()); break;
      case StmtKind::AnnAssign: {
        auto* a = s->as<AnnAssignStmt>();
        if (a->value) {
          expr(a->value);
          store(a->target);
        }
        break;
      }
      case StmtKind::For: for_stmt(s->as<ForStmt>()); break;
      case StmtKind::While: while_stmt(s->as<WhileStmt>()); break;
      case StmtKind::If: {
        // An elif chain is compiled in a loop, not by recursion (symtable.cpp says why).
        auto* i = s->as<IfStmt>();
        int l_end = new_label();
        for (;;) {
          int l_else = new_label();
          jump_if(i->test, false, l_else);
          stmts(i->body);
          if (!i->orelse.empty()) emit_jump(JUMP, l_end);
          bind(l_else);
          if (!is_elif(i->orelse)) break;
          i = i->orelse[0]->as<IfStmt>();
          u->line = i->loc.line;
        }
        stmts(i->orelse);
        bind(l_end);
        break;
      }
      case StmtKind::With: with_stmt(s->as<WithStmt>(), 0); break;
      case StmtKind::Raise: {
        auto* r = s->as<RaiseStmt>();
        if (!r->exc) {
          emit(RAISE, 0);
          break;
        }
        expr(r->exc);
        if (r->cause) expr(r->cause);
        u->line = s->loc.line;
        emit(RAISE, r->cause ? 2 : 1);
        break;
      }
      case StmtKind::Try: try_stmt(s->as<TryStmt>()); break;
      case StmtKind::Assert: {
        auto* a = s->as<AssertStmt>();
        int l_ok = new_label();
        jump_if(a->test, true, l_ok);
        if (a->msg) {
          emit(PUSH_NULL);
          emit(LOAD_ASSERTION_ERROR);
          expr(a->msg);
          emit(CALL, 1);
        } else {
          emit(LOAD_ASSERTION_ERROR);
        }
        u->line = s->loc.line;
        emit(RAISE, 1);
        bind(l_ok);
        break;
      }
      case StmtKind::Import:
        for (Alias* a : s->as<ImportStmt>()->names) {
          emit(IMPORT_NAME, name_idx(a->name));
          std::size_t dot = a->name.find('.');
          if (a->asname.empty() && dot != std::string::npos) {
            // `import a.b` binds the package a (imported, and holding b, by now).
            emit(POP_TOP);
            emit(IMPORT_NAME, name_idx(a->name.substr(0, dot)));
            name_op(a->name.substr(0, dot), Access::Store, s->loc);
          } else {
            name_op(a->asname.empty() ? a->name : a->asname, Access::Store, s->loc);
          }
        }
        break;
      case StmtKind::ImportFrom: {
        auto* f = s->as<ImportFromStmt>();
        if (f->level > 0) {
          error("relative imports are not supported by ftpy", s->loc);
          break;
        }
        emit(IMPORT_NAME, name_idx(f->module));
        for (Alias* a : f->names) {
          if (a->name == "*") {
            emit(IMPORT_STAR);
            return;
          }
          emit(IMPORT_FROM, name_idx(a->name));
          name_op(a->asname.empty() ? a->name : a->asname, Access::Store, s->loc);
        }
        emit(POP_TOP);
        break;
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal:
      case StmtKind::Pass:
        break;
      case StmtKind::Expr:
        expr(s->as<ExprStmt>()->value);
        emit(POP_TOP);
        break;
      case StmtKind::Break: break_stmt(s); break;
      case StmtKind::Continue: continue_stmt(s); break;
    }
  }

  void unwind(std::size_t index, bool preserve_tos) {
    FBlock b = u->fblocks[index];
    switch (b.kind) {
      case FbKind::WhileLoop: break;
      case FbKind::ForLoop:
        if (preserve_tos) emit(ROT_THREE);
        emit(POP_TOP);
        emit(POP_TOP);
        break;
      case FbKind::TryExcept: emit(POP_BLOCK); break;
      case FbKind::TryFinally: {
        emit(POP_BLOCK);
        std::vector<FBlock> saved = u->fblocks;
        u->fblocks.resize(index);
        stmts(*b.finalbody);
        u->fblocks = saved;
        break;
      }
      case FbKind::HandlerBody:
        emit(POP_EXCEPT);
        if (!b.name.empty()) {
          emit(LOAD_CONST, const_none());
          name_op(b.name, Access::Store, Loc{});
          name_op(b.name, Access::Del, Loc{});
        }
        break;
      case FbKind::FinallyHandler:
        if (preserve_tos) emit(ROT_TWO);
        emit(POP_TOP);
        emit(POP_EXCEPT);
        break;
      case FbKind::With:
        emit(POP_BLOCK);
        if (preserve_tos) emit(ROT_TWO);
        emit(WITH_EXIT);
        break;
    }
  }

  void unwind_all(bool preserve_tos) {
    for (std::size_t i = u->fblocks.size(); i-- > 0;) unwind(i, preserve_tos);
  }

  int innermost_loop() {
    for (std::size_t i = u->fblocks.size(); i-- > 0;)
      if (u->fblocks[i].kind == FbKind::WhileLoop || u->fblocks[i].kind == FbKind::ForLoop)
        return int(i);
    return -1;
  }

  void break_stmt(Stmt* s) {
    int loop = innermost_loop();
    if (loop < 0) {
      error("'break' outside loop", s->loc);
      return;
    }
    for (std::size_t i = u->fblocks.size(); i-- > std::size_t(loop) + 1;) unwind(i, false);
    FBlock b = u->fblocks[std::size_t(loop)];
    if (b.kind == FbKind::ForLoop) {
      emit(POP_TOP);
      emit(POP_TOP);
    }
    emit_jump(JUMP, b.break_label);
  }

  void continue_stmt(Stmt* s) {
    int loop = innermost_loop();
    if (loop < 0) {
      error("'continue' not properly in loop", s->loc);
      return;
    }
    for (std::size_t i = u->fblocks.size(); i-- > std::size_t(loop) + 1;) unwind(i, false);
    emit_jump(JUMP, u->fblocks[std::size_t(loop)].continue_label);
  }

  void while_stmt(WhileStmt* w) {
    int l_top = new_label(), l_else = new_label(), l_end = new_label();
    bind(l_top);
    bool forever = w->test->is<ConstantExpr>() &&
                   w->test->as<ConstantExpr>()->value_kind == ConstantKind::True;
    if (!forever) jump_if(w->test, false, l_else);
    u->fblocks.push_back({FbKind::WhileLoop, l_end, l_top, nullptr, {}});
    stmts(w->body);
    u->fblocks.pop_back();
    emit_jump(JUMP, l_top);
    bind(l_else);
    stmts(w->orelse);
    bind(l_end);
  }

  void for_stmt(ForStmt* f) {
    int l_top = new_label(), l_else = new_label(), l_end = new_label();
    expr(f->iter);
    u->line = f->loc.line;
    emit(GET_ITER);
    bind(l_top);
    emit_jump(FOR_ITER, l_else);
    store(f->target);
    u->fblocks.push_back({FbKind::ForLoop, l_end, l_top, nullptr, {}});
    stmts(f->body);
    u->fblocks.pop_back();
    u->line = f->loc.line;
    emit_jump(JUMP, l_top);
    bind(l_else);
    stmts(f->orelse);
    bind(l_end);
  }

  void with_stmt(WithStmt* w, std::uint32_t item) {
    WithItem* it = w->items[item];
    int l_exc = new_label(), l_sup = new_label(), l_end = new_label();
    u->line = w->loc.line;
    expr(it->context_expr);
    emit(BEFORE_WITH);
    if (it->optional_vars) store(it->optional_vars);
    else emit(POP_TOP);
    emit_jump(SETUP_FINALLY, l_exc);
    u->fblocks.push_back({FbKind::With, -1, -1, nullptr, {}});
    if (item + 1 < w->items.size()) with_stmt(w, item + 1);
    else stmts(w->body);
    u->fblocks.pop_back();
    u->line = w->loc.line;
    emit(POP_BLOCK);
    emit(WITH_EXIT);
    emit_jump(JUMP, l_end);
    bind(l_exc);
    emit(WITH_EXCEPT);
    emit_jump(POP_JUMP_IF_TRUE, l_sup);
    emit(RERAISE);
    bind(l_sup);
    emit(POP_TOP);
    emit(POP_EXCEPT);
    emit(POP_TOP);
    bind(l_end);
  }

  void try_stmt(TryStmt* t) {
    if (t->finalbody.empty()) {
      try_except(t);
      return;
    }
    int l_fin = new_label(), l_end = new_label();
    emit_jump(SETUP_FINALLY, l_fin);
    u->fblocks.push_back({FbKind::TryFinally, -1, -1, &t->finalbody, {}});
    if (!t->handlers.empty()) try_except(t);
    else stmts(t->body);
    u->fblocks.pop_back();
    emit(POP_BLOCK);
    stmts(t->finalbody);
    emit_jump(JUMP, l_end);
    bind(l_fin);
    u->fblocks.push_back({FbKind::FinallyHandler, -1, -1, nullptr, {}});
    stmts(t->finalbody);
    u->fblocks.pop_back();
    emit(RERAISE);
    bind(l_end);
  }

  void try_except(TryStmt* t) {
    int l_handler = new_label(), l_end = new_label();
    emit_jump(SETUP_FINALLY, l_handler);
    u->fblocks.push_back({FbKind::TryExcept, -1, -1, nullptr, {}});
    stmts(t->body);
    u->fblocks.pop_back();
    emit(POP_BLOCK);
    stmts(t->orelse);
    emit_jump(JUMP, l_end);
    bind(l_handler);
    bool bare_last = false;
    for (ExceptHandler* h : t->handlers) {
      u->line = h->loc.line;
      int l_next = new_label();
      if (h->type) {
        expr(h->type);
        emit(CHECK_EXC_MATCH);
        emit_jump(POP_JUMP_IF_FALSE, l_next);
      } else {
        bare_last = true;
      }
      if (!h->name.empty()) name_op(h->name, Access::Store, h->loc);
      else emit(POP_TOP);
      u->fblocks.push_back({FbKind::HandlerBody, -1, -1, nullptr, h->name});
      stmts(h->body);
      u->fblocks.pop_back();
      emit(POP_EXCEPT);
      if (!h->name.empty()) {
        emit(LOAD_CONST, const_none());
        name_op(h->name, Access::Store, h->loc);
        name_op(h->name, Access::Del, h->loc);
      }
      emit_jump(JUMP, l_end);
      bind(l_next);
      if (!h->type) break;
    }
    if (!bare_last) emit(RERAISE);
    bind(l_end);
  }

  void aug_assign(AugAssignStmt* a) {
    BinaryOp op = binop_of(a->op);
    Expr* t = a->target;
    if (t->is<NameExpr>()) {
      name_op(t->as<NameExpr>()->id, Access::Load, t->loc);
      expr(a->value);
      emit(INPLACE_OP, std::uint32_t(op));
      name_op(t->as<NameExpr>()->id, Access::Store, t->loc);
    } else if (t->is<AttributeExpr>()) {
      auto* at = t->as<AttributeExpr>();
      expr(at->value);
      emit(DUP_TOP);
      emit(LOAD_ATTR, cache_for(at->attr));
      expr(a->value);
      emit(INPLACE_OP, std::uint32_t(op));
      emit(ROT_TWO);
      emit(STORE_ATTR, cache_for(at->attr));
    } else if (t->is<SubscriptExpr>()) {
      auto* sb = t->as<SubscriptExpr>();
      expr(sb->value);
      subscript_key(sb->slice);
      emit(DUP_TOP_TWO);
      emit(BINARY_SUBSCR);
      expr(a->value);
      emit(INPLACE_OP, std::uint32_t(op));
      emit(ROT_THREE);
      emit(STORE_SUBSCR);
    } else {
      error("illegal expression for augmented assignment", t->loc);
    }
  }

  void store(Expr* t) {
    switch (t->kind) {
      case ExprKind::Name: name_op(t->as<NameExpr>()->id, Access::Store, t->loc); break;
      case ExprKind::Attribute: {
        auto* a = t->as<AttributeExpr>();
        expr(a->value);
        emit(STORE_ATTR, cache_for(a->attr));
        break;
      }
      case ExprKind::Subscript: {
        auto* s = t->as<SubscriptExpr>();
        expr(s->value);
        subscript_key(s->slice);
        emit(STORE_SUBSCR);
        break;
      }
      case ExprKind::Tuple:
      case ExprKind::List: {
        const Span<Expr*>& elts =
            t->is<TupleExpr>() ? t->as<TupleExpr>()->elts : t->as<ListExpr>()->elts;
        int star = -1;
        for (std::uint32_t i = 0; i < elts.size(); i++)
          if (elts[i]->is<StarredExpr>()) {
            if (star >= 0) {
              error("multiple starred expressions in assignment", elts[i]->loc);
              return;
            }
            star = int(i);
          }
        if (star < 0) {
          emit(UNPACK_SEQUENCE, elts.size());
        } else {
          std::uint32_t before = std::uint32_t(star), after = elts.size() - std::uint32_t(star) - 1;
          if (before > 255) {
            error("too many expressions in star-unpacking assignment", t->loc);
            return;
          }
          emit(UNPACK_EX, before | (after << 8));
        }
        for (Expr* e : elts) store(e->is<StarredExpr>() ? e->as<StarredExpr>()->value : e);
        break;
      }
      case ExprKind::Starred:
        error("starred assignment target must be in a list or tuple", t->loc);
        break;
      default:
        error("cannot assign to expression", t->loc);
        break;
    }
  }

  void del_target(Expr* t) {
    switch (t->kind) {
      case ExprKind::Name: name_op(t->as<NameExpr>()->id, Access::Del, t->loc); break;
      case ExprKind::Attribute:
        expr(t->as<AttributeExpr>()->value);
        emit(DELETE_ATTR, name_idx(t->as<AttributeExpr>()->attr));
        break;
      case ExprKind::Subscript:
        expr(t->as<SubscriptExpr>()->value);
        subscript_key(t->as<SubscriptExpr>()->slice);
        emit(DELETE_SUBSCR);
        break;
      case ExprKind::Tuple:
        for (Expr* e : t->as<TupleExpr>()->elts) del_target(e);
        break;
      case ExprKind::List:
        for (Expr* e : t->as<ListExpr>()->elts) del_target(e);
        break;
      default: error("cannot delete expression", t->loc); break;
    }
  }

  // ---- functions and classes ----

  std::uint32_t make_closure_and_code(Scope* child, CodeObject* code) {
    std::uint32_t flags = 0;
    if (!child->freevars.empty()) {
      for (auto& n : child->freevars) emit(LOAD_CLOSURE, deref_index(n));
      emit(BUILD_TUPLE, child->freevars.size());
      flags |= 8;
    }
    emit(LOAD_CONST, add_const("", Value::from(&code->header)));
    return flags;
  }

  std::uint32_t push_defaults(Arguments* a) {
    std::uint32_t flags = 0;
    if (!a->defaults.empty()) {
      for (Expr* e : a->defaults) expr(e);
      emit(BUILD_TUPLE, a->defaults.size());
      flags |= 1;
    }
    std::uint32_t nkw = 0;
    for (std::uint32_t i = 0; i < a->kwonlyargs.size(); i++)
      if (i < a->kw_defaults.size() && a->kw_defaults[i]) {
        emit(LOAD_CONST, const_str(a->kwonlyargs[i]->name));
        expr(a->kw_defaults[i]);
        nkw++;
      }
    if (nkw) {
      emit(BUILD_MAP, nkw);
      flags |= 2;
    }
    return flags;
  }

  void function_def(FunctionDefStmt* f) {
    for (Expr* d : f->decorator_list) {
      emit(PUSH_NULL);
      expr(d);
    }
    u->line = f->loc.line;
    std::uint32_t flags = push_defaults(f->args);
    Scope* child = m_st.map[f];
    Unit* outer = u;
    begin(child, f->name, f->loc.line);
    stmts(f->body);
    emit(LOAD_CONST, const_none());
    emit(RETURN_VALUE);
    CodeObject* code = finish();
    if (!code) return;
    (void)outer;
    u->line = f->loc.line;
    flags |= make_closure_and_code(child, code);
    emit(MAKE_FUNCTION, flags);
    for (std::size_t i = 0; i < f->decorator_list.size(); i++) emit(CALL, 1);
    name_op(f->name, Access::Store, f->loc);
  }

  void lambda(LambdaExpr* l) {
    std::uint32_t flags = push_defaults(l->args);
    Scope* child = m_st.map[l];
    begin(child, "<lambda>", l->loc.line);
    expr(l->body);
    emit(RETURN_VALUE);
    CodeObject* code = finish();
    if (!code) return;
    flags |= make_closure_and_code(child, code);
    emit(MAKE_FUNCTION, flags);
  }

  void class_def(ClassDefStmt* c) {
    for (Expr* d : c->decorator_list) {
      emit(PUSH_NULL);
      expr(d);
    }
    u->line = c->loc.line;
    emit(PUSH_NULL);
    emit(LOAD_BUILD_CLASS);
    Scope* child = m_st.map[c];
    begin(child, c->name, c->loc.line);
    emit(LOAD_NAME, name_idx("__name__"));
    emit(STORE_NAME, name_idx("__module__"));
    emit(LOAD_CONST, const_str(child->qualname));
    emit(STORE_NAME, name_idx("__qualname__"));
    stmts(c->body);
    if (child->has_class_cell) {
      emit(LOAD_CLOSURE, deref_index("__class__"));
    } else {
      emit(LOAD_CONST, const_none());
    }
    emit(RETURN_VALUE);
    CodeObject* code = finish();
    if (!code) return;
    u->line = c->loc.line;
    std::uint32_t flags = make_closure_and_code(child, code);
    emit(MAKE_FUNCTION, flags);
    emit(LOAD_CONST, const_str(c->name));
    for (Expr* b : c->bases) expr(b);
    std::uint32_t n = 2 + c->bases.size();
    if (!c->keywords.empty()) {
      std::vector<Value> names;
      for (Keyword* k : c->keywords) {
        expr(k->value);
        names.push_back(Value::from(&intern(k->arg.data() ? k->arg : "**")->header));
      }
      emit(LOAD_CONST, add_const("", make_tuple_from(names.data(), names.size())));
      emit(CALL_KW, n + c->keywords.size());
    } else {
      emit(CALL, n);
    }
    for (std::size_t i = 0; i < c->decorator_list.size(); i++) emit(CALL, 1);
    name_op(c->name, Access::Store, c->loc);
  }

  void comprehension(Expr* node, const Span<Comprehension*>& gens, Expr* elt, Expr* value,
                     const char* name) {
    Scope* child = m_st.map[node];
    emit(PUSH_NULL);
    begin(child, name, node->loc.line);
    emit(value ? BUILD_MAP : BUILD_LIST, 0);
    std::vector<int> tops, ends;
    for (std::uint32_t i = 0; i < gens.size(); i++) {
      if (i == 0) emit(LOAD_FAST, 0);
      else expr(gens[i]->iter);
      emit(GET_ITER);
      int l_top = new_label(), l_end = new_label();
      bind(l_top);
      emit_jump(FOR_ITER, l_end);
      store(gens[i]->target);
      for (Expr* cond : gens[i]->ifs) jump_if(cond, false, l_top);
      tops.push_back(l_top);
      ends.push_back(l_end);
    }
    std::uint32_t depth = 1 + 2 * gens.size();
    if (value) {
      expr(elt);
      expr(value);
      emit(MAP_ADD, depth);
    } else {
      expr(elt);
      emit(LIST_APPEND, depth);
    }
    for (std::size_t i = gens.size(); i-- > 0;) {
      emit_jump(JUMP, tops[i]);
      bind(ends[i]);
    }
    emit(RETURN_VALUE);
    CodeObject* code = finish();
    if (!code) return;
    std::uint32_t flags = make_closure_and_code(child, code);
    emit(MAKE_FUNCTION, flags);
    expr(gens[0]->iter);
    u->line = node->loc.line;
    emit(CALL, 1);
  }

  // ---- expressions ----

  void jump_if(Expr* e, bool cond, int label) {
    if (e->is<UnaryOpExpr>() && e->as<UnaryOpExpr>()->op == UnaryOpKind::Not) {
      jump_if(e->as<UnaryOpExpr>()->operand, !cond, label);
      return;
    }
    if (e->is<BoolOpExpr>()) {
      auto* b = e->as<BoolOpExpr>();
      bool is_and = b->op == BoolOpKind::And;
      std::uint32_t n = b->values.size();
      if (is_and != cond) {
        // and/false or or/true: any operand decides.
        for (Expr* v : b->values) jump_if(v, cond, label);
        return;
      }
      int l_skip = new_label();
      for (std::uint32_t i = 0; i + 1 < n; i++) jump_if(b->values[i], !cond, l_skip);
      jump_if(b->values[n - 1], cond, label);
      bind(l_skip);
      return;
    }
    if (e->is<CompareExpr>() && e->as<CompareExpr>()->ops.size() == 1) {
      auto* c = e->as<CompareExpr>();
      std::uint32_t saved = u->line;
      u->line = e->loc.line;
      expr(c->left);
      expr(c->comparators[0]);
      compare_op(c->ops[0]);
      u->line = saved;
      emit_jump(cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, label);
      return;
    }
    expr(e);
    emit_jump(cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, label);
  }

  void compare_op(CmpOpKind k) {
    switch (k) {
      case CmpOpKind::Eq: emit(COMPARE_OP, std::uint32_t(CompareOp::Eq)); break;
      case CmpOpKind::NotEq: emit(COMPARE_OP, std::uint32_t(CompareOp::Ne)); break;
      case CmpOpKind::Lt: emit(COMPARE_OP, std::uint32_t(CompareOp::Lt)); break;
      case CmpOpKind::LtE: emit(COMPARE_OP, std::uint32_t(CompareOp::Le)); break;
      case CmpOpKind::Gt: emit(COMPARE_OP, std::uint32_t(CompareOp::Gt)); break;
      case CmpOpKind::GtE: emit(COMPARE_OP, std::uint32_t(CompareOp::Ge)); break;
      case CmpOpKind::Is: emit(IS_OP, 0); break;
      case CmpOpKind::IsNot: emit(IS_OP, 1); break;
      case CmpOpKind::In: emit(CONTAINS_OP, 0); break;
      case CmpOpKind::NotIn: emit(CONTAINS_OP, 1); break;
    }
  }

  void subscript_key(Expr* s) {
    if (s->is<SliceExpr>()) {
      auto* sl = s->as<SliceExpr>();
      if (sl->lower) expr(sl->lower);
      else emit(LOAD_CONST, const_none());
      if (sl->upper) expr(sl->upper);
      else emit(LOAD_CONST, const_none());
      if (sl->step) {
        expr(sl->step);
        emit(BUILD_SLICE, 3);
      } else {
        emit(BUILD_SLICE, 2);
      }
      return;
    }
    expr(s);
  }

  bool constant_value(Expr* e, Value* out, std::string* key) {
    if (!e->is<ConstantExpr>()) return false;
    auto* c = e->as<ConstantExpr>();
    switch (c->value_kind) {
      case ConstantKind::None: *out = none(); *key = "N"; return true;
      case ConstantKind::True: *out = py_bool(true); *key = "T"; return true;
      case ConstantKind::False: *out = py_bool(false); *key = "F"; return true;
      case ConstantKind::Ellipsis: *out = Value::from(&g_ellipsis); *key = "E"; return true;
      case ConstantKind::Int:
        if (c->int_overflow) {
          error("integer literal too large for ftpy's 64-bit int: " + std::string(c->text), e->loc);
          *out = make_int(0);
          *key = "";
          return true;
        }
        *out = make_int(c->int_value);
        *key = "i" + std::to_string(c->int_value);
        return true;
      case ConstantKind::Float: {
        *out = make_float(c->float_value);
        std::uint64_t bits;
        std::memcpy(&bits, &c->float_value, 8);
        *key = "f" + std::to_string(bits);
        return true;
      }
      case ConstantKind::Str:
        *out = Value::from(&intern(c->text)->header);
        *key = "s" + std::string(c->text);
        return true;
      default:
        return false;
    }
  }

  void expr(Expr* e) {
    if (m_err.set) return;
    std::uint32_t saved_line = u->line;
    u->line = e->loc.line;
    expr_inner(e);
    u->line = saved_line;
  }

  void expr_inner(Expr* e) {
    switch (e->kind) {
      case ExprKind::Constant: {
        Value v;
        std::string key;
        if (!constant_value(e, &v, &key)) {
          error("unsupported constant", e->loc);
          return;
        }
        emit(LOAD_CONST, add_const(key, v));
        return;
      }
      case ExprKind::Name: name_op(e->as<NameExpr>()->id, Access::Load, e->loc); return;
      case ExprKind::BinOp: {
        auto* b = e->as<BinOpExpr>();
        expr(b->left);
        expr(b->right);
        emit(BINARY_OP, std::uint32_t(binop_of(b->op)));
        return;
      }
      case ExprKind::UnaryOp: {
        auto* un = e->as<UnaryOpExpr>();
        if (un->op == UnaryOpKind::USub && un->operand->is<ConstantExpr>()) {
          auto* c = un->operand->as<ConstantExpr>();
          if (c->value_kind == ConstantKind::Int && c->int_overflow &&
              c->text == "9223372036854775808") {
            emit(LOAD_CONST, add_const("i-min", make_int(INT64_MIN)));
            return;
          }
          if (c->value_kind == ConstantKind::Int && !c->int_overflow) {
            std::int64_t v = -c->int_value;
            emit(LOAD_CONST, add_const("i" + std::to_string(v), make_int(v)));
            return;
          }
        }
        expr(un->operand);
        switch (un->op) {
          case UnaryOpKind::Not: emit(UNARY_NOT); break;
          case UnaryOpKind::USub: emit(UNARY_OP, std::uint32_t(UnaryOp::Neg)); break;
          case UnaryOpKind::UAdd: emit(UNARY_OP, std::uint32_t(UnaryOp::Pos)); break;
          case UnaryOpKind::Invert: emit(UNARY_OP, std::uint32_t(UnaryOp::Invert)); break;
        }
        return;
      }
      case ExprKind::BoolOp: {
        auto* b = e->as<BoolOpExpr>();
        int l_end = new_label();
        for (std::uint32_t i = 0; i < b->values.size(); i++) {
          expr(b->values[i]);
          if (i + 1 < b->values.size())
            emit_jump(b->op == BoolOpKind::And ? JUMP_IF_FALSE_OR_POP : JUMP_IF_TRUE_OR_POP,
                      l_end);
        }
        bind(l_end);
        return;
      }
      case ExprKind::Compare: {
        auto* c = e->as<CompareExpr>();
        expr(c->left);
        std::uint32_t n = c->ops.size();
        if (n == 1) {
          expr(c->comparators[0]);
          compare_op(c->ops[0]);
          return;
        }
        int l_cleanup = new_label(), l_end = new_label();
        for (std::uint32_t i = 0; i < n; i++) {
          expr(c->comparators[i]);
          if (i + 1 < n) {
            emit(DUP_TOP);
            emit(ROT_THREE);
            compare_op(c->ops[i]);
            emit_jump(JUMP_IF_FALSE_OR_POP, l_cleanup);
          } else {
            compare_op(c->ops[i]);
          }
        }
        emit_jump(JUMP, l_end);
        bind(l_cleanup);
        emit(ROT_TWO);
        emit(POP_TOP);
        bind(l_end);
        return;
      }
      case ExprKind::IfExp: {
        auto* i = e->as<IfExpExpr>();
        int l_else = new_label(), l_end = new_label();
        jump_if(i->test, false, l_else);
        expr(i->body);
        emit_jump(JUMP, l_end);
        bind(l_else);
        expr(i->orelse);
        bind(l_end);
        return;
      }
      case ExprKind::Lambda: lambda(e->as<LambdaExpr>()); return;
      case ExprKind::Call: call(e->as<CallExpr>()); return;
      case ExprKind::Attribute: {
        auto* a = e->as<AttributeExpr>();
        expr(a->value);
        u->line = e->loc.line;
        emit(LOAD_ATTR, cache_for(a->attr));
        return;
      }
      case ExprKind::Subscript: {
        auto* s = e->as<SubscriptExpr>();
        expr(s->value);
        subscript_key(s->slice);
        emit(BINARY_SUBSCR);
        return;
      }
      case ExprKind::Slice: subscript_key(e); return;
      case ExprKind::Tuple: {
        auto& elts = e->as<TupleExpr>()->elts;
        bool all_const = !elts.empty();
        for (Expr* x : elts) {
          Value v;
          std::string k;
          if (!x->is<ConstantExpr>() || !constant_value(x, &v, &k)) {
            all_const = false;
            break;
          }
          decref(v);
        }
        if (all_const) {
          std::vector<Value> vals;
          for (Expr* x : elts) {
            Value v;
            std::string k;
            constant_value(x, &v, &k);
            vals.push_back(v);
          }
          Value t = make_tuple(vals.size());
          for (std::size_t i = 0; i < vals.size(); i++) as_tuple(t)->items[i] = vals[i];
          emit(LOAD_CONST, add_const("", t));
          return;
        }
        if (sequence(elts)) emit(LIST_TO_TUPLE);
        else emit(BUILD_TUPLE, elts.size());
        return;
      }
      case ExprKind::List: {
        auto& elts = e->as<ListExpr>()->elts;
        if (!sequence(elts)) emit(BUILD_LIST, elts.size());
        return;
      }
      case ExprKind::Dict: {
        auto* d = e->as<DictExpr>();
        bool has_star = false;
        for (Expr* k : d->keys) has_star |= k == nullptr;
        if (!has_star) {
          for (std::uint32_t i = 0; i < d->keys.size(); i++) {
            expr(d->keys[i]);
            expr(d->values[i]);
          }
          emit(BUILD_MAP, d->keys.size());
          return;
        }
        emit(BUILD_MAP, 0);
        for (std::uint32_t i = 0; i < d->keys.size(); i++) {
          if (!d->keys[i]) {
            expr(d->values[i]);
            emit(DICT_UPDATE, 1);
          } else {
            expr(d->keys[i]);
            expr(d->values[i]);
            emit(MAP_ADD, 1);
          }
        }
        return;
      }
      case ExprKind::ListComp: {
        auto* c = e->as<ListCompExpr>();
        comprehension(e, c->generators, c->elt, nullptr, "<listcomp>");
        return;
      }
      case ExprKind::DictComp: {
        auto* c = e->as<DictCompExpr>();
        comprehension(e, c->generators, c->key, c->value, "<dictcomp>");
        return;
      }
      case ExprKind::JoinedStr: {
        auto& parts = e->as<JoinedStrExpr>()->values;
        if (parts.size() == 1 && parts[0]->is<FormattedValueExpr>()) {
          expr(parts[0]);
          return;
        }
        for (Expr* p : parts) expr(p);
        if (parts.empty()) emit(LOAD_CONST, const_str(""));
        else if (parts.size() > 1) emit(BUILD_STRING, parts.size());
        return;
      }
      case ExprKind::FormattedValue: {
        auto* f = e->as<FormattedValueExpr>();
        expr(f->value);
        std::uint32_t flags = f->conversion == 's' ? 1 : f->conversion == 'r' ? 2
                              : f->conversion == 'a' ? 3 : 0;
        if (f->format_spec) {
          expr(f->format_spec);
          flags |= 4;
        }
        emit(FORMAT_VALUE, flags);
        return;
      }
      case ExprKind::Starred:
        error("can't use starred expression here", e->loc);
        return;
      default:
        error("unsupported expression", e->loc);
        return;
    }
  }

  // Emits a list or tuple display; true when it used the starred form (a list on the stack).
  bool sequence(const Span<Expr*>& elts) {
    bool star = false;
    for (Expr* x : elts) star |= x->is<StarredExpr>();
    if (!star) {
      for (Expr* x : elts) expr(x);
      return false;
    }
    emit(BUILD_LIST, 0);
    for (Expr* x : elts) {
      if (x->is<StarredExpr>()) {
        expr(x->as<StarredExpr>()->value);
        emit(LIST_EXTEND, 1);
      } else {
        expr(x);
        emit(LIST_APPEND, 1);
      }
    }
    return true;
  }

  void call(CallExpr* c) {
    bool star = false, dstar = false;
    for (Expr* a : c->args) star |= a->is<StarredExpr>();
    for (Keyword* k : c->keywords) dstar |= k->arg.data() == nullptr;
    if (!star && !dstar) {
      if (c->func->is<AttributeExpr>()) {
        auto* a = c->func->as<AttributeExpr>();
        expr(a->value);
        emit(LOAD_METHOD, cache_for(a->attr));
      } else {
        emit(PUSH_NULL);
        expr(c->func);
      }
      for (Expr* a : c->args) expr(a);
      for (Keyword* k : c->keywords) expr(k->value);
      u->line = c->loc.line;
      if (c->keywords.empty()) {
        emit(CALL, c->args.size());
      } else {
        std::vector<Value> names;
        for (Keyword* k : c->keywords) names.push_back(Value::from(&intern(k->arg)->header));
        emit(LOAD_CONST, add_const("", make_tuple_from(names.data(), names.size())));
        emit(CALL_KW, c->args.size() + c->keywords.size());
      }
      return;
    }
    emit(PUSH_NULL);
    expr(c->func);
    emit(BUILD_LIST, 0);
    for (Expr* a : c->args) {
      if (a->is<StarredExpr>()) {
        expr(a->as<StarredExpr>()->value);
        emit(LIST_EXTEND, 1);
      } else {
        expr(a);
        emit(LIST_APPEND, 1);
      }
    }
    emit(LIST_TO_TUPLE);
    if (!c->keywords.empty()) {
      emit(BUILD_MAP, 0);
      for (Keyword* k : c->keywords) {
        if (k->arg.data() == nullptr) {
          expr(k->value);
          emit(DICT_MERGE, 1);
        } else {
          emit(LOAD_CONST, const_str(k->arg));
          expr(k->value);
          emit(MAP_ADD, 1);
        }
      }
    }
    u->line = c->loc.line;
    emit(CALL_EX, c->keywords.empty() ? 0 : 1);
  }
};

void fill_error(SyntaxErrorInfo* out, const CompileError& e, const Source& src) {
  out->kind = SyntaxErrorKind::SyntaxError;
  out->message = e.message;
  out->filename = src.filename();
  out->line = e.loc.line;
  if (e.loc.line) {
    std::string_view text = src.line_text(e.loc.line);
    out->line_text = std::string(text);
    out->column = count_code_points(text, 0, std::min<std::uint32_t>(e.loc.col, std::uint32_t(text.size()))) + 1;
    if (e.loc.end_line == e.loc.line && e.loc.end_col > e.loc.col) {
      out->end_line = e.loc.end_line;
      out->end_column = count_code_points(text, 0, std::min<std::uint32_t>(e.loc.end_col, std::uint32_t(text.size()))) + 1;
    }
  }
}

}  // namespace

CodeObject* compile_module(const Module* module, const Source& source, SyntaxErrorInfo* error) {
  SymbolTable st;
  build_symbol_table(module, &st);
  if (st.err.set) {
    fill_error(error, st.err, source);
    return nullptr;
  }
  CodeGen gen(st, source);
  CodeObject* code = gen.module(module);
  if (gen.m_err.set) {
    if (code) decref(Value::from(&code->header));
    fill_error(error, gen.m_err, source);
    return nullptr;
  }
  return code;
}

CodeObject* compile_source(std::shared_ptr<const Source> source, SyntaxErrorInfo* error) {
  register_source(source);
  ParseResult pr = parse_module(*source);
  if (!pr.ok()) {
    *error = pr.error;
    return nullptr;
  }
  return compile_module(pr.ast->module, *source, error);
}

}  // namespace ftpy::interp
