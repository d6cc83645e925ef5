// compiler.h: syntax tree (ast.h) to code objects (code.h).
// Two passes per module: a symbol table (which names are local, global, cell or free in each
// function, class body and comprehension scope, with Python 3's rules and SyntaxErrors) and
// code generation with a block-stack exception model (vm.h). Tier 2 constructs the parser
// accepts (yield, generator expressions, sets, walrus, ...) are compile errors naming the
// feature. Integer literals beyond int64 are a SyntaxError ("integer literal too large"),
// ftpy's documented 64-bit int difference. Runs on a thread with a thread state attached
// (it builds constants); touches nothing shared but the interned-string table.
#pragma once
#include <memory>

#include "interp/front/ast.h"
#include "interp/compile/code.h"
#include "interp/front/source.h"
#include "interp/front/syntax_error.h"

namespace ftpy::interp {

// Compiles a parsed module. Returns the module's code object (a new reference), or null with
// either *error filled (a compile-time SyntaxError; error->message non-empty) or a Python
// exception pending (MemoryError).
CodeObject* compile_module(const Module* module, const Source& source, SyntaxErrorInfo* error);

// Parses and compiles `source` (its lines registered for tracebacks). Same result convention.
CodeObject* compile_source(std::shared_ptr<const Source> source, SyntaxErrorInfo* error);

}  // namespace ftpy::interp
