// bad_input_test.cpp: malformed programs must give a SyntaxError-class result, never success
// and never a crash. Runs every file in tests/bad_input/ (FTPY_BAD_INPUT_DIR), huge and deeply
// nested inputs generated here, and bounded random-byte and mutation fuzzing (fixed seeds).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "interp/front/parser.h"

using namespace ftpy::interp;

#ifndef FTPY_BAD_INPUT_DIR
#error "FTPY_BAD_INPUT_DIR must name tests/bad_input (set in tests/interp/meson.build)"
#endif

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A rejected parse: an error of a SyntaxError class, with a message, that formats cleanly.
void require_rejected(const std::string& text, const std::string& what) {
  INFO(what);
  ParseResult r = parse_module(text, "bad.py");
  REQUIRE_FALSE(r.ok());
  CHECK(!r.error.message.empty());
  std::string formatted = format_syntax_error(r.error);
  CHECK(formatted.find(std::string(kind_name(r.error.kind)) + ": ") != std::string::npos);
  CHECK(formatted.back() == '\n');
}

}  // namespace

TEST_CASE("bad input: every file in tests/bad_input is a SyntaxError", "[interp]") {
  std::filesystem::path dir(FTPY_BAD_INPUT_DIR);
  REQUIRE(std::filesystem::is_directory(dir));
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".py") continue;
    require_rejected(read_file(entry.path()), entry.path().filename().string());
    count++;
  }
  CHECK(count >= 25);
}

TEST_CASE("bad input: huge and deeply nested programs", "[interp]") {
  require_rejected(std::string(100000, '(') + "1" + std::string(100000, ')'), "1e5 parens");
  require_rejected(std::string(50000, '[') + std::string(50000, '{'), "1e5 open brackets");
  require_rejected(std::string(100000, ')'), "1e5 close parens");
  std::string blocks;
  for (int i = 0; i < 10000; i++) {
    blocks += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
  }
  require_rejected(blocks, "1e4 nested ifs without a body");
  require_rejected("x = " + std::string(100000, '-') + "1\n", "1e5 unary minus");
  require_rejected("x = " + std::string(100000, '~') + "\n", "1e5 tildes and no operand");
  require_rejected("s = '" + std::string(1000000, 'a') + "\n", "1 MB unterminated string");
  require_rejected("x = " + std::string(1000000, '1') + "abc\n", "1 MB bad number");
  require_rejected("x = 1" + std::string(100000, '_') + "\n", "underscores");
  std::string fs = "f'";
  for (int i = 0; i < 1000; i++) fs += "{a:";
  require_rejected(fs + "'\n", "f-string of nested fields");
  require_rejected("f'{" + std::string(1000, '(') + "'\n", "f-string of open parens");
  std::string dots = "x";
  for (int i = 0; i < 100000; i++) dots += ".";
  require_rejected(dots, "trailing dots");
  // Valid but extreme inputs must parse (or fail cleanly), not crash.
  CHECK(parse_module("", "e.py").ok());
  CHECK(parse_module("\n\n\n", "e.py").ok());
  CHECK(parse_module("x = " + std::string(100000, '9') + "\n", "big.py").ok());
  CHECK(parse_module("x = 1e999999\n", "big.py").ok());
  CHECK(parse_module("x = '" + std::string(1000000, 'a') + "'\n", "big.py").ok());
}

TEST_CASE("bad input: random bytes never crash the front end", "[interp][fuzz]") {
  std::mt19937 rng(20240601);
  for (int round = 0; round < 300; round++) {
    std::size_t len = rng() % 200;
    std::string text;
    for (std::size_t i = 0; i < len; i++) text += static_cast<char>(rng() & 0xFF);
    ParseResult r = parse_module(text, "fuzz.py");
    if (!r.ok()) (void)format_syntax_error(r.error);
  }
  // Bytes drawn from Python's own alphabet reach deeper into the parser.
  const std::string alphabet = "()[]{}:;,.=+-*/%<>!~^&|@'\"\\#\n\n    \tabcxyz019_ fjrb"
                               "if else def class lambda for in not and or is yield ";
  for (int round = 0; round < 2000; round++) {
    std::size_t len = rng() % 120;
    std::string text;
    for (std::size_t i = 0; i < len; i++) text += alphabet[rng() % alphabet.size()];
    ParseResult r = parse_module(text, "fuzz.py");
    if (!r.ok()) (void)format_syntax_error(r.error);
  }
}

TEST_CASE("bad input: mutations of a valid program never crash", "[interp][fuzz]") {
  const std::string program =
      "import sys\n"
      "class Point(object):\n"
      "    def __init__(self, x=0, *args, y, **kw):\n"
      "        self.x, self.y = x, y\n"
      "    def __repr__(self):\n"
      "        return f'Point({self.x!r}, {self.y:>{4}})'\n"
      "@decorate\n"
      "def main(argv):\n"
      "    total = 0\n"
      "    for i, v in enumerate([1, 2.5, 0x1F, *argv]):\n"
      "        if i % 2 == 0 and not v:\n"
      "            continue\n"
      "        elif v is None:\n"
      "            break\n"
      "        total += v ** -2 // 3\n"
      "    try:\n"
      "        d = {k: v for k, v in zip('ab', (1, 2)) if k}\n"
      "    except (KeyError, ValueError) as e:\n"
      "        raise RuntimeError('bad') from e\n"
      "    finally:\n"
      "        print(total, sep='', end='\\n')\n"
      "    with open(argv[0]) as f, lock:\n"
      "        data = f.read()[1:-1:2]\n"
      "    return lambda a, b=2: a if b else (yield)\n";
  REQUIRE(parse_module(program, "valid.py").ok());
  std::mt19937 rng(7);
  const std::string inserts = "()[]{}:,'\"\\\n \t#=*f{}";
  for (int round = 0; round < 2000; round++) {
    std::string text = program;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); e++) {
      std::size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0: text.erase(pos, 1 + rng() % 3); break;
        case 1: text.insert(pos, 1, inserts[rng() % inserts.size()]); break;
        default: text[pos] = inserts[rng() % inserts.size()]; break;
      }
    }
    ParseResult r = parse_module(text, "mutant.py");
    if (r.ok()) {
      CHECK(!dump(r.ast->module).empty());
    } else {
      (void)format_syntax_error(r.error);
    }
  }
}
