// vm_test.cpp: whole programs through the ftpy executable (FTPY_EXE): standard output, the
// exit status and, for uncaught exceptions, the traceback on standard error.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {

struct RunResult {
  std::string out, err;
  int status = -1;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunResult run(const std::string& program) {
  char dir[] = "/tmp/ftpy-vm-test-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string d = dir;
  {
    std::ofstream f(d + "/prog.py");
    f << program;
  }
  std::string cmd = "cd " + d + " && " FTPY_EXE " prog.py >out.txt 2>err.txt </dev/null";
  int raw = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(d + "/out.txt");
  r.err = slurp(d + "/err.txt");
  std::system(("rm -rf " + d).c_str());
  return r;
}

}  // namespace

TEST_CASE("vm: arithmetic fast paths and overflow fallback", "[interp]") {
  RunResult r = run(
      "a = 4611686018427387903\nprint(a + 1, a * 2, -7 // 2, -7 % 2, 7 % -3, 1 << 62)\n"
      "x = 0.5\nprint(x + x, x * 3, 1 / 4)\n"
      "try:\n    9223372036854775807 + 1\nexcept OverflowError:\n    print('overflow')\n");
  CHECK(r.status == 0);
  CHECK(r.out == "4611686018427387904 9223372036854775806 -4 1 -2 4611686018427387904\n"
                 "1.0 1.5 0.25\noverflow\n");
}

TEST_CASE("vm: functions, defaults, keywords, *args and **kwargs", "[interp]") {
  RunResult r = run(
      "def f(a, b=2, *rest, c, d=4, **kw):\n    return (a, b, rest, c, d, sorted(kw))\n"
      "print(f(1, c=3))\nprint(f(1, 5, 6, 7, c=8, z=9))\n"
      "try:\n    f()\nexcept TypeError as e:\n    print(e)\n"
      "def g(x, y):\n    return x - y\n"
      "print(g(y=1, x=5), g(*[3, 1]), g(**{'x': 9, 'y': 4}))\n"
      "for args in [(1, 2, 3), ()]:\n    try:\n        g(*args)\n"
      "    except TypeError as e:\n        print(e)\n"
      "try:\n    g(1, 2, z=3)\nexcept TypeError as e:\n    print(e)\n"
      "try:\n    g(1, x=3)\nexcept TypeError as e:\n    print(e)\n");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "(1, 2, (), 3, 4, [])\n(1, 5, (6, 7), 8, 4, ['z'])\n"
        "f() missing 1 required positional argument: 'a'\n4 2 5\n"
        "g() takes 2 positional arguments but 3 were given\n"
        "g() missing 2 required positional arguments: 'x' and 'y'\n"
        "g() got an unexpected keyword argument 'z'\n"
        "g() got multiple values for argument 'x'\n");
}

TEST_CASE("vm: closures, nonlocal and comprehension scopes", "[interp]") {
  RunResult r = run(
      "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n"
      "        return n\n    return inc\nc = counter()\nc(); c()\nprint(c())\n"
      "x = 'outer'\nys = [x for x in range(3)]\nprint(x, ys)\n"
      "fs = [lambda i=i: i * 10 for i in range(3)]\nprint([f() for f in fs])\n");
  CHECK(r.status == 0);
  CHECK(r.out == "3\nouter [0, 1, 2]\n[0, 10, 20]\n");
}

TEST_CASE("vm: try/except/else/finally with return, break and continue", "[interp]") {
  RunResult r = run(
      "def f():\n    try:\n        return 'try'\n    finally:\n        print('finally')\n"
      "print(f())\n"
      "def g():\n    for i in range(5):\n        try:\n            if i == 1:\n"
      "                continue\n            if i == 3:\n                break\n"
      "        finally:\n            print('f', i)\n    return i\nprint(g())\n"
      "def h():\n    try:\n        raise ValueError('x')\n    except ValueError:\n"
      "        return 'handled'\n    finally:\n        print('h finally')\nprint(h())\n"
      "try:\n    pass\nexcept Exception:\n    print('no')\nelse:\n    print('else')\n"
      "def k():\n    try:\n        1 / 0\n    finally:\n        return 'swallowed'\nprint(k())\n");
  CHECK(r.status == 0);
  CHECK(r.out == "finally\ntry\nf 0\nf 1\nf 2\nf 3\n3\nh finally\nhandled\nelse\nswallowed\n");
}

TEST_CASE("vm: with statement calls __exit__ and may suppress", "[interp]") {
  RunResult r = run(
      "class CM:\n    def __init__(self, name, suppress=False):\n        self.name = name\n"
      "        self.suppress = suppress\n    def __enter__(self):\n"
      "        print('enter', self.name)\n        return self\n"
      "    def __exit__(self, t, e, tb):\n        print('exit', self.name, t.__name__ if t else None)\n"
      "        return self.suppress\n"
      "with CM('a') as a, CM('b', True) as b:\n    raise KeyError('k')\nprint('after')\n"
      "def f():\n    with CM('c'):\n        return 'r'\nprint(f())\n");
  CHECK(r.status == 0);
  CHECK(r.out == "enter a\nenter b\nexit b KeyError\nexit a None\nafter\nenter c\nexit c None\nr\n");
}

TEST_CASE("vm: classes, inheritance, super and special methods", "[interp]") {
  RunResult r = run(
      "class A:\n    def __init__(self, x):\n        self.x = x\n"
      "    def __repr__(self):\n        return f'A({self.x})'\n"
      "    def __eq__(self, o):\n        return self.x == o.x\n"
      "    def __len__(self):\n        return self.x\n"
      "class B(A):\n    def __init__(self, x, y):\n        super().__init__(x)\n        self.y = y\n"
      "b = B(3, 4)\nprint(b, len(b), b == A(3), b != A(3), isinstance(b, A), type(b).__name__)\n"
      "try:\n    hash(b)\nexcept TypeError as e:\n    print(e)\n"
      "class E(ValueError):\n    def __init__(self, msg, code):\n        super().__init__(msg)\n"
      "        self.code = code\n"
      "try:\n    raise E('bad', 7)\nexcept ValueError as e:\n    print(type(e).__name__, e, e.code, e.args)\n"
      "print(object().__class__.__name__, A.__name__)\n"
      "try:\n    b.nope\nexcept AttributeError as e:\n    print(e)\n");
  CHECK(r.status == 0);
  CHECK(r.out == "A(3) 3 True False True B\nunhashable type: 'B'\nE bad 7 ('bad',)\nobject A\n"
                 "'B' object has no attribute 'nope'\n");
}

TEST_CASE("vm: uncaught exceptions print a CPython traceback", "[interp]") {
  RunResult r = run("def f(x):\n    return 1 / x\n\ndef g():\n    f(0)\n\ng()\n");
  CHECK(r.status == 1);
  CHECK(r.err ==
        "Traceback (most recent call last):\n"
        "  File \"prog.py\", line 7, in <module>\n    g()\n"
        "  File \"prog.py\", line 5, in g\n    f(0)\n"
        "  File \"prog.py\", line 2, in f\n    return 1 / x\n"
        "ZeroDivisionError: division by zero\n");
  RunResult k = run("d = {}\nd['key']\n");
  CHECK(k.status == 1);
  CHECK(k.err.substr(k.err.rfind("KeyError")) == "KeyError: 'key'\n");
}

TEST_CASE("vm: sys.exit and SystemExit", "[interp]") {
  CHECK(run("import sys\nsys.exit(3)\n").status == 3);
  CHECK(run("import sys\nsys.exit()\n").status == 0);
  RunResult r = run("import sys\nprint('x')\nsys.exit('bye')\n");
  CHECK(r.status == 1);
  CHECK(r.out == "x\n");
  CHECK(r.err == "bye\n");
}

TEST_CASE("vm: recursion limits, Python and native", "[interp]") {
  RunResult r = run(
      "def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError:\n    print('py')\n"
      "class R:\n    def __repr__(self):\n        return repr(self)\n"
      "try:\n    repr(R())\nexcept RecursionError:\n    print('native')\n"
      "import sys\nsys.setrecursionlimit(100000)\n"
      "try:\n    repr(R())\nexcept RecursionError:\n    print('c stack')\n");
  CHECK(r.status == 0);
  CHECK(r.out == "py\nnative\nc stack\n");
}

TEST_CASE("vm: modules and imports", "[interp]") {
  RunResult r = run(
      "import math as m\nfrom math import gcd, floor as fl\nimport sys, gc, time\n"
      "print(m.sqrt(16), gcd(12, 18), fl(-2.5), gc.get_threshold(), sys.maxsize)\n"
      "try:\n    import nosuch\nexcept ModuleNotFoundError as e:\n    print(e)\n"
      "try:\n    m.sqrt(-1)\nexcept ValueError as e:\n    print(e)\n"
      "n = sys.stdout.write('abc\\n')\nprint(n)\n"
      "if __name__ == '__main__':\n    print('main')\n");
  CHECK(r.status == 0);
  CHECK(r.out == "4.0 6 -3 (2000, 10, 10) 9223372036854775807\nNo module named 'nosuch'\n"
                 "math domain error\nabc\n4\nmain\n");
}

TEST_CASE("vm: command line", "[interp]") {
  CHECK(std::system(FTPY_EXE " --version >/dev/null") == 0);
  int raw = std::system(FTPY_EXE " >/dev/null 2>&1");
  CHECK(WEXITSTATUS(raw) == 2);
  raw = std::system(FTPY_EXE " /nonexistent/x.py >/dev/null 2>&1");
  CHECK(WEXITSTATUS(raw) == 2);
}
