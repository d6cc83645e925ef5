// parser_test.cpp: the syntax tree of every statement and expression form (compared as
// dump() S-expressions, which mirror Python's `ast` module), operator precedence, string and
// f-string decoding, node positions, and syntax errors formatted exactly as CPython 3.11.
#include "interp/front/parser.h"

#include <catch2/catch.hpp>
#include <string>

using namespace ftpy::interp;

namespace {

std::string parse_dump(const std::string& text) {
  ParseResult r = parse_module(text, "x.py");
  if (!r.ok()) return "ERROR " + std::string(kind_name(r.error.kind)) + ": " + r.error.message;
  return dump(r.ast->module);
}

SyntaxErrorInfo parse_error(const std::string& text) {
  ParseResult r = parse_module(text, "x.py");
  REQUIRE_FALSE(r.ok());
  return r.error;
}

std::string formatted_error(const std::string& text) {
  return format_syntax_error(parse_error(text));
}

}  // namespace

TEST_CASE("parser: operator precedence and associativity", "[interp]") {
  CHECK(parse_dump("1 + 2 * 3") == "(+ 1 (* 2 3))");
  CHECK(parse_dump("(1 + 2) * 3") == "(* (+ 1 2) 3)");
  CHECK(parse_dump("a - b - c") == "(- (- a b) c)");
  CHECK(parse_dump("a ** b ** c") == "(** a (** b c))");
  CHECK(parse_dump("-2 ** 2") == "(u- (** 2 2))");
  CHECK(parse_dump("2 ** -1") == "(** 2 (u- 1))");
  CHECK(parse_dump("-a.b[c](d) ** 2") == "(u- (** (call ([] (. a b) c) d) 2))");
  CHECK(parse_dump("a | b ^ c & d << e + f * g") ==
        "(| a (^ b (& c (<< d (+ e (* f g))))))");
  CHECK(parse_dump("a // b % c @ d / e") == "(/ (@ (% (// a b) c) d) e)");
  CHECK(parse_dump("~a + +b - -c") == "(- (+ (~ a) (u+ b)) (u- c))");
  CHECK(parse_dump("not a == b") == "(not (== a b))");
  CHECK(parse_dump("a or b and not c") == "(or a (and b (not c)))");
  CHECK(parse_dump("a and b and c or d or e") == "(or (and a b c) d e)");
  CHECK(parse_dump("a < b <= c") == "(cmp a < b <= c)");
  CHECK(parse_dump("a in b not in c is d is not e != f") ==
        "(cmp a in b not in c is d is not e != f)");
  CHECK(parse_dump("a if b else c if d else e") == "(if b a (if d c e))");
  CHECK(parse_dump("lambda: a if b else c") == "(lambda (params) (if b a c))");
  CHECK(parse_dump("x = a if b or c else d") == "(= x (if (or b c) a d))");
  CHECK(parse_dump("a + b if c else d") == "(if c (+ a b) d)");
  CHECK(parse_dump("(x := 1 + 2)") == "(:= x (+ 1 2))");
  CHECK(parse_dump("a | b < c") == "(< (| a b) c)");
}

TEST_CASE("parser: atoms and displays", "[interp]") {
  CHECK(parse_dump("None, True, False, ...") == "(tuple None True False ...)");
  CHECK(parse_dump("()") == "(tuple)");
  CHECK(parse_dump("(1,)") == "(tuple 1)");
  CHECK(parse_dump("1,") == "(tuple 1)");
  CHECK(parse_dump("(1)") == "1");
  CHECK(parse_dump("[]") == "(list)");
  CHECK(parse_dump("[1, *a, 2,]") == "(list 1 (* a) 2)");
  CHECK(parse_dump("{}") == "(dict)");
  CHECK(parse_dump("{1: 2, **d, 'k': v,}") == "(dict (1 2) (** d) ('k' v))");
  CHECK(parse_dump("{1, 2, *s}") == "(set 1 2 (* s))");
  CHECK(parse_dump("[x * 2 for x in y if x if not z for w in x]") ==
        "(listcomp (* x 2) (for x y (if x) (if (not z))) (for w x))");
  CHECK(parse_dump("{k: v for k, v in d.items()}") ==
        "(dictcomp k v (for (tuple k v) (call (. d items))))");
  CHECK(parse_dump("{x for x in y}") == "(setcomp x (for x y))");
  CHECK(parse_dump("(x for x in y)") == "(genexp x (for x y))");
  CHECK(parse_dump("sum(x for x in y)") == "(call sum (genexp x (for x y)))");
  CHECK(parse_dump("[a for a in b if c if d]") == "(listcomp a (for a b (if c) (if d)))");
  CHECK(parse_dump("1.5, 1e3, 10j, 0xff, 1_000") == "(tuple 1.5 1000.0 10.0j 255 1000)");
  CHECK(parse_dump("1e999999") == "inf");
  CHECK(parse_dump("99999999999999999999") == "99999999999999999999");  // kept as text
}

TEST_CASE("parser: primaries, calls and slices", "[interp]") {
  CHECK(parse_dump("f(a, *b, c=1, **d)") == "(call f a (* b) (kw c 1) (** d))");
  CHECK(parse_dump("f(*a, *b, c=1, *e, **d, g=2)") ==
        "(call f (* a) (* b) (* e) (kw c 1) (** d) (kw g 2))");
  CHECK(parse_dump("f()()") == "(call (call f))");
  CHECK(parse_dump("f(x,)") == "(call f x)");
  CHECK(parse_dump("a.b.c") == "(. (. a b) c)");
  CHECK(parse_dump("a[1]") == "([] a 1)");
  CHECK(parse_dump("a[1:2]") == "([] a (slice 1 2 _))");
  CHECK(parse_dump("a[::2]") == "([] a (slice _ _ 2))");
  CHECK(parse_dump("a[:]") == "([] a (slice _ _ _))");
  CHECK(parse_dump("a[1:-1:2]") == "([] a (slice 1 (u- 1) 2))");
  CHECK(parse_dump("a[1:2, 3]") == "([] a (tuple (slice 1 2 _) 3))");
  CHECK(parse_dump("a[1,]") == "([] a (tuple 1))");
  CHECK(parse_dump("a[b][c](d).e") == "(. (call ([] ([] a b) c) d) e)");
}

TEST_CASE("parser: lambda and def parameter forms", "[interp]") {
  CHECK(parse_dump("lambda: 0") == "(lambda (params) 0)");
  CHECK(parse_dump("lambda a, b=1, *c, d, e=2, **f: a") ==
        "(lambda (params a (= b 1) *c d (= e 2) **f) a)");
  CHECK(parse_dump("lambda *, k: k") == "(lambda (params * k) k)");
  CHECK(parse_dump("lambda a, /, b: a") == "(lambda (params a / b) a)");
  CHECK(parse_dump("def f(a, b=2, *args, c, d=4, **kw): pass") ==
        "(def f (params a (= b 2) *args c (= d 4) **kw) pass)");
  CHECK(parse_dump("def f(*, k=1): return k") == "(def f (params * (= k 1)) (return k))");
  CHECK(parse_dump("def f(x: int = 1) -> str:\n  return x\n") ==
        "(def f (params (= (: x int) 1)) (-> str) (return x))");
  CHECK(parse_dump("@a\n@b.c(1)\ndef f(): pass\n") ==
        "(def f (params) (@ a (call (. b c) 1)) pass)");
}

TEST_CASE("parser: simple statements", "[interp]") {
  CHECK(parse_dump("a = b = 0") == "(= a b 0)");
  CHECK(parse_dump("a, b = b, a") == "(= (tuple a b) (tuple b a))");
  CHECK(parse_dump("first, *rest = xs") == "(= (tuple first (* rest)) xs)");
  CHECK(parse_dump("[a, (b, c)] = x") == "(= (list a (tuple b c)) x)");
  CHECK(parse_dump("a.b = c[d] = 1") == "(= (. a b) ([] c d) 1)");
  CHECK(parse_dump("x = yield") == "(= x (yield))");
  const char* ops[] = {"+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^"};
  for (const char* op : ops) {
    std::string src = std::string("x ") + op + "= 1";
    CHECK(parse_dump(src) == std::string("(") + op + "= x 1)");
  }
  CHECK(parse_dump("a.b += c") == "(+= (. a b) c)");
  CHECK(parse_dump("x: int = 5") == "(ann x int 5)");
  CHECK(parse_dump("del a, b.c, d[e], (f, g)") == "(del a (. b c) ([] d e) (tuple f g))");
  CHECK(parse_dump("pass; break; continue") == "pass\nbreak\ncontinue");
  CHECK(parse_dump("return") == "(return)");
  CHECK(parse_dump("return 1, 2") == "(return (tuple 1 2))");
  CHECK(parse_dump("raise") == "(raise)");
  CHECK(parse_dump("raise X") == "(raise X)");
  CHECK(parse_dump("raise X(1) from e") == "(raise (call X 1) from e)");
  CHECK(parse_dump("global a, b") == "(global a b)");
  CHECK(parse_dump("nonlocal x") == "(nonlocal x)");
  CHECK(parse_dump("assert x, 'msg'") == "(assert x 'msg')");
  CHECK(parse_dump("assert x") == "(assert x)");
  CHECK(parse_dump("import a.b as c, d") == "(import (as a.b c) d)");
  CHECK(parse_dump("from m import a, b as c") == "(from m a (as b c))");
  CHECK(parse_dump("from m import (a,\n  b,)") == "(from m a b)");
  CHECK(parse_dump("from ..m.n import *") == "(from ..m.n *)");
  CHECK(parse_dump("from . import x") == "(from . x)");
  CHECK(parse_dump("yield from g()") == "(yield-from (call g))");
}

TEST_CASE("parser: compound statements", "[interp]") {
  CHECK(parse_dump("if a:\n  b\nelif c:\n  d\nelse:\n  e\n") ==
        "(if a (b) (else (if c (d) (else e))))");
  CHECK(parse_dump("while x: x -= 1\nelse: pass\n") == "(while x ((-= x 1)) (else pass))");
  CHECK(parse_dump("for i, v in enumerate(xs):\n    break\nelse:\n    pass\n") ==
        "(for (tuple i v) (call enumerate xs) (break) (else pass))");
  CHECK(parse_dump("for x in 1, 2: pass") == "(for x (tuple 1 2) (pass))");
  CHECK(parse_dump("try:\n  a\nexcept:\n  b\n") == "(try (a) (except (b)))");
  CHECK(parse_dump("try:\n  a\nexcept E as e:\n  b\nexcept (A, B):\n  c\nelse:\n  d\n"
                   "finally:\n  f\n") ==
        "(try (a) (except E e (b)) (except (tuple A B) (c)) (else d) (finally f))");
  CHECK(parse_dump("try:\n  a\nfinally:\n  f\n") == "(try (a) (finally f))");
  CHECK(parse_dump("with a as b, c:\n  pass\n") == "(with ((as a b) c) (pass))");
  CHECK(parse_dump("with a() as (x, y): pass") == "(with ((as (call a) (tuple x y))) (pass))");
  CHECK(parse_dump("class C: pass") == "(class C (bases) pass)");
  CHECK(parse_dump("class C(B, metaclass=M):\n  x = 1\n  def f(self): return 2\n") ==
        "(class C (bases B (kw metaclass M)) (= x 1) (def f (params self) (return 2)))");
  CHECK(parse_dump("@dataclass\nclass P(): pass") == "(class P (bases) (@ dataclass) pass)");
  CHECK(parse_dump("if __name__ == '__main__':\n    main()\n") ==
        "(if (== __name__ '__main__') ((call main)))");
  CHECK(parse_dump("def f():\n    x = 1\n\n    # comment\n    return x\n") ==
        "(def f (params) (= x 1) (return x))");
}

TEST_CASE("parser: strings, escapes and concatenation", "[interp]") {
  CHECK(parse_dump("'a' \"b\" '''c'''") == "'abc'");
  CHECK(parse_dump("'\\n\\t\\r\\\\\\'\\\"\\0\\a\\b\\f\\v'") ==
        "'\\n\\t\\r\\\\\\'\"\\x00\\x07\\x08\\x0c\\x0b'");
  CHECK(parse_dump("'\\x41\\u00e9\\U0001F600\\101\\777'") == "'Aé\xF0\x9F\x98\x80" "A\xC7\xBF'");
  CHECK(parse_dump("'a\\\nb'") == "'ab'");
  CHECK(parse_dump("'\\d'") == "'\\\\d'");  // unknown escapes keep the backslash
  CHECK(parse_dump("r'\\n\\x'") == "'\\\\n\\\\x'");
  CHECK(parse_dump("'''a\nb'''") == "'a\\nb'");
  CHECK(parse_dump("b'a\\x00\\xff' b'c'") == "b'a\\x00\\xffc'");
  CHECK(parse_dump("''") == "''");
  CHECK(parse_dump("'é'") == "'é'");
  CHECK(parse_dump("b'a' 'b'") == "ERROR SyntaxError: cannot mix bytes and nonbytes literals");
  CHECK(parse_dump("b'é'") ==
        "ERROR SyntaxError: bytes can only contain ASCII literal characters");
  CHECK(parse_dump("'\\N{DASH}'").rfind("ERROR SyntaxError: (unicode error)", 0) == 0);
  CHECK(parse_dump("'\\x4'") ==
        "ERROR SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in "
        "position 0-2: truncated \\xXX escape");
  CHECK(parse_dump("'\\U00110000'") ==
        "ERROR SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in "
        "position 0-9: illegal Unicode character");
}

TEST_CASE("parser: f-strings", "[interp]") {
  CHECK(parse_dump("f'a{x}b'") == "(f 'a' (fv x) 'b')");
  CHECK(parse_dump("f'{x!r} {y!s} {z!a}'") == "(f (fv x !r) ' ' (fv y !s) ' ' (fv z !a))");
  CHECK(parse_dump("f'{x:>10}'") == "(f (fv x (f '>10')))");
  CHECK(parse_dump("f'{x:{w}.{p}f}'") == "(f (fv x (f (fv w) '.' (fv p) 'f')))");
  CHECK(parse_dump("f'{x!r:^{w}}'") == "(f (fv x !r (f '^' (fv w))))");
  CHECK(parse_dump("f'{{literal}} {{{x}}}'") == "(f '{literal} {' (fv x) '}')");
  CHECK(parse_dump("f'{a + b * 2}'") == "(f (fv (+ a (* b 2))))");
  CHECK(parse_dump("f'{d[\"k\"]}'") == "(f (fv ([] d 'k')))");
  CHECK(parse_dump("f'{x=}'") == "(f 'x=' (fv x !r))");
  CHECK(parse_dump("f'{x = :>4}'") == "(f 'x = ' (fv x (f '>4')))");
  CHECK(parse_dump("f'{a != b}'") == "(f (fv (!= a b)))");
  CHECK(parse_dump("f'{lambda: 1}'").rfind("ERROR", 0) == 0);  // `:` starts a spec
  CHECK(parse_dump("f'{(lambda: 1)}'") == "(f (fv (lambda (params) 1)))");
  CHECK(parse_dump("'a' f'{b}' 'c'") == "(f 'a' (fv b) 'c')");
  CHECK(parse_dump("f'\\n{x}\\t'") == "(f '\\n' (fv x) '\\t')");
  CHECK(parse_dump("rf'\\n{x}'") == "(f '\\\\n' (fv x))");
  CHECK(parse_dump("f''") == "(f)");
  CHECK(parse_dump("f'''{\nx\n}'''") == "(f (fv x))");
  CHECK(parse_dump("f'{f\"{x}\"}'") == "(f (fv (f (fv x))))");
  CHECK(parse_dump("f'{x,y}'") == "(f (fv (tuple x y)))");
  CHECK(parse_dump("f'{a!z}'") ==
        "ERROR SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a'");
  CHECK(parse_dump("f'{}'") == "ERROR SyntaxError: f-string: empty expression not allowed");
  CHECK(parse_dump("f'{a'") == "ERROR SyntaxError: f-string: expecting '}'");
  CHECK(parse_dump("f'}'") == "ERROR SyntaxError: f-string: single '}' is not allowed");
  CHECK(parse_dump("f'{a:{b:{c}}}'") ==
        "ERROR SyntaxError: f-string: expressions nested too deeply");
  CHECK(parse_dump("f'{a b}'") ==
        "ERROR SyntaxError: f-string: invalid syntax. Perhaps you forgot a comma?");
  CHECK(parse_dump("f'{1 +}'") == "ERROR SyntaxError: f-string: invalid syntax");
  CHECK(parse_dump("f'{\\n}'") ==
        "ERROR SyntaxError: f-string expression part cannot include a backslash");
  CHECK(parse_dump("f'{#}'") ==
        "ERROR SyntaxError: f-string expression part cannot include '#'");
}

TEST_CASE("parser: node positions", "[interp]") {
  ParseResult r = parse_module("x = 1\nif a:\n    foo(b,\n        c)\n", "x.py");
  REQUIRE(r.ok());
  const Span<Stmt*>& body = r.ast->module->body;
  REQUIRE(body.size() == 2);
  CHECK((body[0]->loc.line == 1 && body[0]->loc.col == 0 && body[0]->loc.end_col == 5));
  const auto* assign = body[0]->as<AssignStmt>();
  CHECK(assign->targets[0]->as<NameExpr>()->ctx == ExprContext::Store);
  CHECK((assign->value->loc.col == 4 && assign->value->loc.end_col == 5));
  const auto* if_stmt = body[1]->as<IfStmt>();
  CHECK((if_stmt->loc.line == 2 && if_stmt->loc.end_line == 4));
  const Stmt* call_stmt = if_stmt->body[0];
  CHECK((call_stmt->loc.line == 3 && call_stmt->loc.col == 4));
  CHECK((call_stmt->loc.end_line == 4 && call_stmt->loc.end_col == 10));
  const auto* call = call_stmt->as<ExprStmt>()->value->as<CallExpr>();
  CHECK((call->args[1]->loc.line == 4 && call->args[1]->loc.col == 8));
  // Columns are UTF-8 byte offsets, like CPython's col_offset.
  r = parse_module("é = ab\n", "x.py");
  REQUIRE(r.ok());
  CHECK(r.ast->module->body[0]->as<AssignStmt>()->value->loc.col == 5);
  // del targets get the Del context.
  r = parse_module("del a[0]\n", "x.py");
  REQUIRE(r.ok());
  CHECK(r.ast->module->body[0]->as<DeleteStmt>()->targets[0]->as<SubscriptExpr>()->ctx ==
        ExprContext::Del);
}

TEST_CASE("parser: syntax errors print exactly as CPython 3.11", "[interp]") {
  CHECK(formatted_error("print(1 +)\n") ==
        "  File \"x.py\", line 1\n"
        "    print(1 +)\n"
        "             ^\n"
        "SyntaxError: invalid syntax\n");
  CHECK(formatted_error("x = 1\nif x\n    pass\n") ==
        "  File \"x.py\", line 2\n"
        "    if x\n"
        "        ^\n"
        "SyntaxError: expected ':'\n");
  CHECK(formatted_error("x = (1,\ny = 2\n") ==
        "  File \"x.py\", line 1\n"
        "    x = (1,\n"
        "        ^\n"
        "SyntaxError: '(' was never closed\n");
  CHECK(formatted_error("print(1 +)\nx = 'abc\n") ==
        "  File \"x.py\", line 2\n"
        "    x = 'abc\n"
        "        ^\n"
        "SyntaxError: unterminated string literal (detected at line 2)\n");
  CHECK(formatted_error("if x:\npass\n") ==
        "  File \"x.py\", line 2\n"
        "    pass\n"
        "    ^\n"
        "IndentationError: expected an indented block after 'if' statement on line 1\n");
  CHECK(formatted_error("def f():\n    if x:\n        a\n      b\n") ==
        "  File \"x.py\", line 4\n"
        "    b\n"
        "     ^\n"
        "IndentationError: unindent does not match any outer indentation level\n");
  CHECK(formatted_error("x = 1\n    y = 2\n") ==
        "  File \"x.py\", line 2\n"
        "    y = 2\n"
        "IndentationError: unexpected indent\n");
  CHECK(formatted_error("f() = 1\n") ==
        "  File \"x.py\", line 1\n"
        "    f() = 1\n"
        "    ^^^\n"
        "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of "
        "'='?\n");
  CHECK(formatted_error("[1 2]\n") ==
        "  File \"x.py\", line 1\n"
        "    [1 2]\n"
        "     ^^^\n"
        "SyntaxError: invalid syntax. Perhaps you forgot a comma?\n");
  CHECK(formatted_error("print 'hi'\n") ==
        "  File \"x.py\", line 1\n"
        "    print 'hi'\n"
        "    ^^^^^^^^^^\n"
        "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n");
  CHECK(formatted_error("x = 'é' + $\n") ==
        "  File \"x.py\", line 1\n"
        "    x = 'é' + $\n"
        "              ^\n"
        "SyntaxError: invalid syntax\n");
  CHECK(formatted_error("try:\n    pass\nx = 1\n") ==
        "  File \"x.py\", line 3\n"
        "    x = 1\n"
        "    ^\n"
        "SyntaxError: expected 'except' or 'finally' block\n");
}

TEST_CASE("parser: error messages for misuse", "[interp]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"else:\n  pass\n", "SyntaxError: invalid syntax"},
      {"x = 5 if y\n", "SyntaxError: expected 'else' after 'if' expression"},
      {"def f(a=1, b): pass\n", "SyntaxError: non-default argument follows default argument"},
      {"def f(*): pass\n", "SyntaxError: named arguments must follow bare *"},
      {"def f(a, a): pass\n", "SyntaxError: duplicate argument 'a' in function definition"},
      {"f(a=1, b)\n", "SyntaxError: positional argument follows keyword argument"},
      {"f(**a, *b)\n",
       "SyntaxError: iterable argument unpacking follows keyword argument unpacking"},
      {"f(a+b=1)\n", "SyntaxError: expression cannot contain assignment, perhaps you meant \"==\"?"},
      {"f(x for x in y, 1)\n", "SyntaxError: Generator expression must be parenthesized"},
      {"a, *b, *c = x\n", "SyntaxError: multiple starred expressions in assignment"},
      {"*a = 1\n", "SyntaxError: starred assignment target must be in a list or tuple"},
      {"x = *a\n", "SyntaxError: can't use starred expression here"},
      {"f() += 1\n", "SyntaxError: 'function call' is an illegal expression for augmented assignment"},
      {"del f()\n", "SyntaxError: cannot delete function call"},
      {"for f() in x: pass\n", "SyntaxError: cannot assign to function call"},
      {"(a, 1) = x\n", "SyntaxError: cannot assign to literal"},
      {"x = {1: 2, 3}\n", "SyntaxError: ':' expected after dictionary key"},
      {"from a import b,\n", "SyntaxError: trailing comma not allowed without surrounding parentheses"},
      {"try:\n  a\nexcept:\n  b\nexcept E:\n  c\n", "SyntaxError: default 'except:' must be last"},
      {"try:\n  a\nexcept E, F:\n  b\n", "SyntaxError: multiple exception types must be parenthesized"},
      {"x = yield = 3\n", "SyntaxError: assignment to yield expression not possible"},
      {"not = 3\n", "SyntaxError: invalid syntax"},
      {"def = 3\n", "SyntaxError: invalid syntax"},
      {"x := 1\n", "SyntaxError: invalid syntax"},
      {"(a.b := 1)\n", "SyntaxError: cannot use assignment expressions with attribute"},
      {"class\n", "SyntaxError: invalid syntax"},
      {"import\n", "SyntaxError: invalid syntax"},
      {"async def f(): pass\n", "SyntaxError: invalid syntax"},
      {"x = 1 +\n", "SyntaxError: invalid syntax"},
      {"while x:\npass\n", "IndentationError: expected an indented block after 'while' statement on line 1"},
      {"def f():\npass\n", "IndentationError: expected an indented block after function definition on line 1"},
      {"class C:\npass\n", "IndentationError: expected an indented block after class definition on line 1"},
      {"if a:\n  pass\nelse:\npass\n", "IndentationError: expected an indented block after 'else' statement on line 3"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(parse_dump(c.text) == std::string("ERROR ") + c.error);
  }
}

TEST_CASE("parser: deep nesting is an error, never a crash", "[interp]") {
  // Brackets: the tokenizer's limit of 200, as CPython.
  CHECK(parse_dump(std::string(199, '(') + "1" + std::string(199, ')')) == "1");
  CHECK(parse_dump(std::string(201, '(') + "1" + std::string(201, ')')) ==
        "ERROR SyntaxError: too many nested parentheses");
  // Unary chains, `not` chains, long left-associative chains: RecursionError past the depth
  // limit, as CPython 3.11 reports for such programs.
  std::string minus;
  for (int i = 0; i < 1000; i++) minus += "- ";
  CHECK(parse_dump(minus + "1").rfind("(u- (u- ", 0) == 0);
  std::string deep_minus(100000, '-');
  CHECK(parse_dump("x = " + deep_minus + "1") ==
        "ERROR RecursionError: maximum recursion depth exceeded during compilation");
  std::string nots;
  for (int i = 0; i < 100000; i++) nots += "not ";
  CHECK(parse_dump(nots + "x").rfind("ERROR RecursionError", 0) == 0);
  std::string sum = "1";
  for (int i = 0; i < 100000; i++) sum += "+1";
  CHECK(parse_dump(sum).rfind("ERROR RecursionError", 0) == 0);
  std::string attrs = "a";
  for (int i = 0; i < 100000; i++) attrs += ".b";
  CHECK(parse_dump(attrs).rfind("ERROR RecursionError", 0) == 0);
  std::string lambdas;
  for (int i = 0; i < 100000; i++) lambdas += "lambda: ";
  CHECK(parse_dump(lambdas + "0").rfind("ERROR RecursionError", 0) == 0);
  std::string ternary = "1";
  for (int i = 0; i < 100000; i++) ternary += " if 1 else 1";
  CHECK(parse_dump(ternary).rfind("ERROR RecursionError", 0) == 0);
  std::string pow = "2";
  for (int i = 0; i < 100000; i++) pow += "**2";
  CHECK(parse_dump(pow).rfind("ERROR RecursionError", 0) == 0);
  // 10^4 nested blocks: the 100-level indentation limit.
  std::string blocks;
  for (int i = 0; i < 10000; i++) blocks += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
  blocks += std::string(10000, ' ') + "pass\n";
  CHECK(parse_dump(blocks) == "ERROR IndentationError: too many levels of indentation");
  // A long flat program and a 1 MB line are fine.
  std::string many;
  for (int i = 0; i < 20000; i++) many += "x = [1, 2, 'three', f(4)]\n";
  ParseResult r = parse_module(many, "x.py");
  REQUIRE(r.ok());
  CHECK(r.ast->module->body.size() == 20000);
  std::string line = "x = [";
  while (line.size() < 1000000) line += "1234567, ";
  line += "0]\n";
  CHECK(parse_module(line, "x.py").ok());
}
