// ast.h: the syntax tree of one module, as Python's `ast` module shapes it (same node names
// and fields, so CPython's documentation describes it), allocated in one Arena.
// Ownership: every node, list and string of a tree lives in its Ast's arena and dies with it,
// all at once; nodes are trivially destructible and never freed one by one. Nothing points
// into the Source: the tree outlives the text it came from.
// Positions: `line`/`end_line` 1-based, `col`/`end_col` 0-based UTF-8 byte offsets in the line
// (CPython's col_offset/end_col_offset); end is exclusive. Depth: expressions nest at most
// k_max_expr_depth deep and blocks k_max_indent_levels deep, so recursive walks are bounded.
// A finished tree is immutable: any thread may read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace ftpy::interp {

// Deepest expression nesting the parser accepts (brackets, operators, unary chains, call and
// attribute chains all count); deeper input is a RecursionError, as in CPython. Keeps every
// recursive walk over a tree (dump, the compiler) well inside the C stack.
inline constexpr std::uint32_t k_max_expr_depth = 1500;
// Deepest if/elif nesting (an elif chain nests one level per elif): CPython 3.11 compiles a
// chain of 2,998 and raises RecursionError past it; so does ftpy. Block nesting is bounded by
// the lexer's 100 indentation levels.
inline constexpr std::uint32_t k_max_if_depth = 2998;

// A bump allocator: chunks of growing size, freed together by the destructor. Allocation
// failure ends the process with a message (a parse cannot continue without memory).
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  void* allocate(std::size_t size, std::size_t align) {
    auto p = (m_cur + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1);
    if (p + size > m_end || m_cur == 0) return allocate_slow(size, align);
    m_cur = p + size;
    return reinterpret_cast<void*>(p);
  }
  template <class T, class... Args>
  T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (allocate(sizeof(T), alignof(T))) T{std::forward<Args>(args)...};
  }
  std::string_view copy_string(std::string_view s);
  std::size_t bytes_allocated() const { return m_total; }

 private:
  void* allocate_slow(std::size_t size, std::size_t align);
  struct Chunk {
    Chunk* next;
  };
  Chunk* m_chunks = nullptr;
  std::uintptr_t m_cur = 0;
  std::uintptr_t m_end = 0;
  std::size_t m_next_size = 16 * 1024;
  std::size_t m_total = 0;
};

// A read-only array in the arena.
template <class T>
struct Span {
  T* data = nullptr;
  std::uint32_t count = 0;
  T* begin() const { return data; }
  T* end() const { return data + count; }
  std::uint32_t size() const { return count; }
  bool empty() const { return count == 0; }
  T& operator[](std::uint32_t i) const { return data[i]; }
};

struct Loc {
  std::uint32_t line = 0, col = 0, end_line = 0, end_col = 0;
};

// ---- Expressions -------------------------------------------------------------------------

enum class ExprKind : std::uint8_t {
  BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, Set, ListComp, SetComp, DictComp,
  GeneratorExp, Yield, YieldFrom, Compare, Call, FormattedValue, JoinedStr, Constant,
  Attribute, Subscript, Starred, Name, List, Tuple, Slice,
};

// Where a Name/Attribute/Subscript/Starred/List/Tuple stands: read, assigned, deleted.
enum class ExprContext : std::uint8_t { Load, Store, Del };

enum class BoolOpKind : std::uint8_t { And, Or };
enum class OperatorKind : std::uint8_t {
  Add, Sub, Mult, MatMult, Div, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, FloorDiv,
};
enum class UnaryOpKind : std::uint8_t { Invert, Not, UAdd, USub };
enum class CmpOpKind : std::uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

struct Expr {
  ExprKind kind;
  Loc loc;
  template <class T>
  T* as() {  // unchecked downcast; check `kind` (or use `is<T>()`) first
    return static_cast<T*>(this);
  }
  template <class T>
  const T* as() const {
    return static_cast<const T*>(this);
  }
  template <class T>
  bool is() const {
    return kind == T::k_kind;
  }
};

struct Stmt;
struct Arguments;

struct BoolOpExpr : Expr {  // `a and b and c`: one node, values in order
  static constexpr ExprKind k_kind = ExprKind::BoolOp;
  BoolOpKind op;
  Span<Expr*> values;
};
struct NamedExpr : Expr {  // `target := value`; target is a Name
  static constexpr ExprKind k_kind = ExprKind::NamedExpr;
  Expr* target;
  Expr* value;
};
struct BinOpExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::BinOp;
  OperatorKind op;
  Expr* left;
  Expr* right;
};
struct UnaryOpExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::UnaryOp;
  UnaryOpKind op;
  Expr* operand;
};
struct LambdaExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Lambda;
  Arguments* args;
  Expr* body;
};
struct IfExpExpr : Expr {  // `body if test else orelse`
  static constexpr ExprKind k_kind = ExprKind::IfExp;
  Expr* test;
  Expr* body;
  Expr* orelse;
};
struct DictExpr : Expr {  // keys[i] == nullptr means `**values[i]`
  static constexpr ExprKind k_kind = ExprKind::Dict;
  Span<Expr*> keys;
  Span<Expr*> values;
};
struct SetExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Set;
  Span<Expr*> elts;
};
struct Comprehension {  // `for target in iter if ifs[0] if ifs[1]`
  Expr* target;
  Expr* iter;
  Span<Expr*> ifs;
  Loc loc;
};
struct ListCompExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::ListComp;
  Expr* elt;
  Span<Comprehension*> generators;
};
struct SetCompExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::SetComp;
  Expr* elt;
  Span<Comprehension*> generators;
};
struct DictCompExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::DictComp;
  Expr* key;
  Expr* value;
  Span<Comprehension*> generators;
};
struct GeneratorExpExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::GeneratorExp;
  Expr* elt;
  Span<Comprehension*> generators;
};
struct YieldExpr : Expr {  // value may be nullptr
  static constexpr ExprKind k_kind = ExprKind::Yield;
  Expr* value;
};
struct YieldFromExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::YieldFrom;
  Expr* value;
};
struct CompareExpr : Expr {  // `left ops[0] comparators[0] ops[1] comparators[1] ...`
  static constexpr ExprKind k_kind = ExprKind::Compare;
  Expr* left;
  Span<CmpOpKind> ops;
  Span<Expr*> comparators;
};
struct Keyword {  // `arg=value`, or `**value` when arg is empty (arg.data() == nullptr)
  std::string_view arg;
  Expr* value;
  Loc loc;
};
struct CallExpr : Expr {  // args may hold Starred (`*a`); keywords hold `k=v` and `**d`
  static constexpr ExprKind k_kind = ExprKind::Call;
  Expr* func;
  Span<Expr*> args;
  Span<Keyword*> keywords;
};
struct FormattedValueExpr : Expr {  // one `{value!conversion:format_spec}` of an f-string
  static constexpr ExprKind k_kind = ExprKind::FormattedValue;
  Expr* value;
  char conversion;          // 0 (none), 's', 'r' or 'a'
  Expr* format_spec;        // a JoinedStr, or nullptr
};
struct JoinedStrExpr : Expr {  // an f-string: Constant(Str) and FormattedValue parts
  static constexpr ExprKind k_kind = ExprKind::JoinedStr;
  Span<Expr*> values;
};

enum class ConstantKind : std::uint8_t { None, True, False, Ellipsis, Int, Float, Imaginary, Str, Bytes };

struct ConstantExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Constant;
  ConstantKind value_kind;
  // Int: the literal did not fit in int64; int_value is then 0 and `text` holds the literal
  // (so the compiler can raise its OverflowError-style error or fold `-9223372036854775808`).
  bool int_overflow;
  std::int64_t int_value;
  double float_value;      // Float, Imaginary (the value of `xj`)
  std::string_view text;   // Str: decoded UTF-8; Bytes: raw bytes; Int/Float: source spelling
};
struct AttributeExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Attribute;
  Expr* value;
  std::string_view attr;
  ExprContext ctx;
};
struct SubscriptExpr : Expr {  // `value[slice]`; `a[1:2, 3]` has a Tuple slice
  static constexpr ExprKind k_kind = ExprKind::Subscript;
  Expr* value;
  Expr* slice;
  ExprContext ctx;
};
struct StarredExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Starred;
  Expr* value;
  ExprContext ctx;
};
struct NameExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Name;
  std::string_view id;
  ExprContext ctx;
};
struct ListExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::List;
  Span<Expr*> elts;
  ExprContext ctx;
};
struct TupleExpr : Expr {
  static constexpr ExprKind k_kind = ExprKind::Tuple;
  Span<Expr*> elts;
  ExprContext ctx;
};
struct SliceExpr : Expr {  // `lower:upper:step`, each may be nullptr
  static constexpr ExprKind k_kind = ExprKind::Slice;
  Expr* lower;
  Expr* upper;
  Expr* step;
};

// ---- Function parameters -------------------------------------------------------------------

struct Arg {
  std::string_view name;
  Expr* annotation;  // nullptr if none (lambda parameters never have one)
  Loc loc;
};

// `def f(posonly, /, args, *vararg, kwonly, **kwarg)`. `defaults` belong to the last
// len(defaults) of posonlyargs+args; kw_defaults is parallel to kwonlyargs (nullptr: none).
struct Arguments {
  Span<Arg*> posonlyargs;
  Span<Arg*> args;
  Arg* vararg;
  Span<Arg*> kwonlyargs;
  Span<Expr*> kw_defaults;
  Arg* kwarg;
  Span<Expr*> defaults;
};

// ---- Statements ------------------------------------------------------------------------------

enum class StmtKind : std::uint8_t {
  FunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, While, If, With,
  Raise, Try, Assert, Import, ImportFrom, Global, Nonlocal, Expr, Pass, Break, Continue,
};

struct Stmt {
  StmtKind kind;
  Loc loc;
  template <class T>
  T* as() {
    return static_cast<T*>(this);
  }
  template <class T>
  const T* as() const {
    return static_cast<const T*>(this);
  }
  template <class T>
  bool is() const {
    return kind == T::k_kind;
  }
};

struct FunctionDefStmt : Stmt {  // loc starts at `def`, as CPython's lineno (not a decorator)
  static constexpr StmtKind k_kind = StmtKind::FunctionDef;
  std::string_view name;
  Arguments* args;
  Span<Stmt*> body;
  Span<Expr*> decorator_list;
  Expr* returns;  // `-> X` annotation, or nullptr
};
struct ClassDefStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::ClassDef;
  std::string_view name;
  Span<Expr*> bases;
  Span<Keyword*> keywords;
  Span<Stmt*> body;
  Span<Expr*> decorator_list;
};
struct ReturnStmt : Stmt {  // value may be nullptr
  static constexpr StmtKind k_kind = StmtKind::Return;
  Expr* value;
};
struct DeleteStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Delete;
  Span<Expr*> targets;  // ctx Del
};
struct AssignStmt : Stmt {  // `a = b = value`: targets {a, b}, assigned left to right
  static constexpr StmtKind k_kind = StmtKind::Assign;
  Span<Expr*> targets;  // ctx Store; Tuple/List targets hold at most one Starred
  Expr* value;
};
struct AugAssignStmt : Stmt {  // target is a Name, Attribute or Subscript
  static constexpr StmtKind k_kind = StmtKind::AugAssign;
  Expr* target;
  OperatorKind op;
  Expr* value;
};
struct AnnAssignStmt : Stmt {  // `target: annotation [= value]`
  static constexpr StmtKind k_kind = StmtKind::AnnAssign;
  Expr* target;
  Expr* annotation;
  Expr* value;  // may be nullptr
  bool simple;  // target is a plain name, not parenthesised
};
struct ForStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::For;
  Expr* target;
  Expr* iter;
  Span<Stmt*> body;
  Span<Stmt*> orelse;
};
struct WhileStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::While;
  Expr* test;
  Span<Stmt*> body;
  Span<Stmt*> orelse;
};
struct IfStmt : Stmt {  // `elif` is an If alone in orelse, as in CPython
  static constexpr StmtKind k_kind = StmtKind::If;
  Expr* test;
  Span<Stmt*> body;
  Span<Stmt*> orelse;
};
// An orelse that is a single If: an elif (or an else holding only an if, the same tree).
// Walks over a chain loop through these rather than recurse.
inline bool is_elif(const Span<Stmt*>& orelse) {
  return orelse.size() == 1 && orelse[0]->kind == StmtKind::If;
}

struct WithItem {
  Expr* context_expr;
  Expr* optional_vars;  // `as` target (ctx Store), or nullptr
};
struct WithStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::With;
  Span<WithItem*> items;
  Span<Stmt*> body;
};
struct RaiseStmt : Stmt {  // both may be nullptr (bare `raise`)
  static constexpr StmtKind k_kind = StmtKind::Raise;
  Expr* exc;
  Expr* cause;
};
struct ExceptHandler {  // `except type as name:`; type nullptr for a bare except
  Expr* type;
  std::string_view name;  // empty if no `as`
  Span<Stmt*> body;
  Loc loc;
};
struct TryStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Try;
  Span<Stmt*> body;
  Span<ExceptHandler*> handlers;
  Span<Stmt*> orelse;
  Span<Stmt*> finalbody;
};
struct AssertStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Assert;
  Expr* test;
  Expr* msg;  // may be nullptr
};
struct Alias {  // `name as asname`; name may be dotted ("a.b.c") or "*"
  std::string_view name;
  std::string_view asname;  // empty if none
  Loc loc;
};
struct ImportStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Import;
  Span<Alias*> names;
};
struct ImportFromStmt : Stmt {  // `from ..module import names`: level counts the dots
  static constexpr StmtKind k_kind = StmtKind::ImportFrom;
  std::string_view module;  // empty for `from . import x`
  Span<Alias*> names;
  std::uint32_t level;
};
struct GlobalStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Global;
  Span<std::string_view> names;
};
struct NonlocalStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Nonlocal;
  Span<std::string_view> names;
};
struct ExprStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Expr;
  Expr* value;
};
struct PassStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Pass;
};
struct BreakStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Break;
};
struct ContinueStmt : Stmt {
  static constexpr StmtKind k_kind = StmtKind::Continue;
};

struct Module {
  Span<Stmt*> body;
};

// A parsed module: the tree and the arena that owns it.
struct Ast {
  Arena arena;
  Module* module = nullptr;
};

// Canonical S-expression text of a tree, for tests and debugging. Expressions print as
// `(+ a 1)`, `(call f a (kw x 1))`, `(. a b)`, statements as `(assign (a b) 0)`; the exact
// grammar is documented at the top of ast.cpp.
std::string dump(const Expr* expr);
std::string dump(const Stmt* stmt);
std::string dump(const Module* module);

std::string_view operator_text(OperatorKind op);  // "+", "//", ...
std::string_view cmp_op_text(CmpOpKind op);        // "<", "not in", ...

}  // namespace ftpy::interp
