// compiler_test.cpp: the compiler in process: scope rules and their SyntaxErrors, Tier 2
// constructs rejected by name, and the shape of the bytecode for the fast paths.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "interp/compile/compiler.h"
#include "interp/modules/interp_init.h"
#include "interp/objects/object.h"

using namespace ftpy::interp;

namespace {

// Compiles `text`; returns the disassembly, or "error: <message> @<line>".
std::string compile_text(const std::string& text) {
  REQUIRE(interp_start() != nullptr);
  auto src = std::make_shared<const Source>("<test>", text);
  SyntaxErrorInfo err;
  CodeObject* code = compile_source(src, &err);
  if (!code) return "error: " + err.message + " @" + std::to_string(err.line);
  std::string out = disassemble(code);
  decref(Value::from(&code->header));
  return out;
}

}  // namespace

TEST_CASE("compiler: control-flow statements outside their context", "[interp]") {
  CHECK(compile_text("return 1\n") == "error: 'return' outside function @1");
  CHECK(compile_text("x = 1\nbreak\n") == "error: 'break' outside loop @2");
  CHECK(compile_text("continue\n") == "error: 'continue' not properly in loop @1");
  CHECK(compile_text("def f():\n    for x in y:\n        def g():\n            break\n") ==
        "error: 'break' outside loop @4");
}

TEST_CASE("compiler: global and nonlocal rules", "[interp]") {
  CHECK(compile_text("def f():\n    x = 1\n    global x\n") ==
        "error: name 'x' is assigned to before global declaration @3");
  CHECK(compile_text("def f():\n    print(x)\n    global x\n") ==
        "error: name 'x' is used prior to global declaration @3");
  CHECK(compile_text("def f(a):\n    global a\n") == "error: name 'a' is parameter and global @2");
  CHECK(compile_text("nonlocal x\n") ==
        "error: nonlocal declaration not allowed at module level @1");
  CHECK(compile_text("def f():\n    nonlocal q\n").rfind("error: no binding for nonlocal 'q' found", 0) == 0);
  CHECK(compile_text("def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n")
            .rfind("error", 0) != 0);
}

TEST_CASE("compiler: Tier 2 constructs are named", "[interp]") {
  CHECK(compile_text("def f():\n    yield 1\n") == "error: generators (yield) are not supported by ftpy @2");
  CHECK(compile_text("x = (i for i in y)\n") == "error: generator expressions are not supported by ftpy @1");
  CHECK(compile_text("s = {1, 2}\n") == "error: set displays are not supported by ftpy @1");
  CHECK(compile_text("if (n := 3): pass\n") ==
        "error: assignment expressions (:=) are not supported by ftpy @1");
  CHECK(compile_text("x = 99999999999999999999\n").rfind("error: integer literal too large", 0) == 0);
}

TEST_CASE("compiler: closures make cells and free variables", "[interp]") {
  std::string d = compile_text("def f():\n    x = 1\n    def g():\n        return x\n    return g\n");
  CHECK(d.find("LOAD_CLOSURE") != std::string::npos);
  CHECK(d.find("LOAD_DEREF") != std::string::npos);
  CHECK(d.find("MAKE_FUNCTION") != std::string::npos);
}

TEST_CASE("compiler: fast paths are used", "[interp]") {
  std::string d = compile_text("def f(a):\n    return a.m(1) + g(2)\n");
  CHECK(d.find("LOAD_METHOD") != std::string::npos);
  CHECK(d.find("LOAD_GLOBAL") != std::string::npos);
  CHECK(d.find("LOAD_FAST") != std::string::npos);
  // Module-level names use the cached global ops, not dict-based Name ops.
  std::string m = compile_text("x = 1\nprint(x)\n");
  CHECK(m.find("LOAD_NAME") == std::string::npos);
  CHECK(m.find("STORE_GLOBAL") != std::string::npos);
  // Superinstructions: the first instruction of each sequence is fused, the others stay.
  std::string s = compile_text("def f(a, b, t):\n    return a * b + t[0] - a\n");
  CHECK(s.find(" LOAD_FAST_LOAD_FAST_BINARY ") != std::string::npos);
  CHECK(s.find(" LOAD_FAST_SUBSCR_CONST ") != std::string::npos);
  CHECK(s.find(" LOAD_FAST_BINARY ") != std::string::npos);
  CHECK(s.find(" BINARY_SUBSCR ") != std::string::npos);
  // A class body uses its namespace.
  std::string c = compile_text("class C:\n    y = 2\n    z = y\n");
  CHECK(c.find("STORE_NAME") != std::string::npos);
}

TEST_CASE("compiler: super() gives methods the __class__ cell", "[interp]") {
  std::string d = compile_text(
      "class A:\n    def f(self):\n        return 1\nclass B(A):\n    def f(self):\n"
      "        return super().f()\n");
  CHECK(d.find("LOAD_CLOSURE") != std::string::npos);
}
