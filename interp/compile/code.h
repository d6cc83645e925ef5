// code.h: CodeObject, the compiled form of one module, function, class body or comprehension.
// Invariants: immutable after the compiler builds it, except the inline caches, which any
// thread executing the code may overwrite: each entry is under a sync::SeqLock (read and filled
// only through vm/inline_cache.h), so a reader never pairs one fill's version with another's
// value.
// Instructions are 32-bit words (opcode low 8 bits, argument high 24); localsplus is
// [varnames..., cellvars..., freevars...] so LOAD_DEREF's argument indexes it directly.
// Lines are kept as a run-length table: (instruction count, line delta) pairs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "interp/objects/object.h"
#include "sync/seqlock.h"

namespace ftpy::interp {

enum Opcode : std::uint8_t {
#define OP(name) name,
#include "interp/compile/opcodes.def"
#undef OP
  k_opcode_count
};

const char* opcode_name(int op);

inline std::uint32_t make_instr(int op, std::uint32_t arg) { return std::uint32_t(op) | (arg << 8); }
inline int instr_op(std::uint32_t w) { return int(w & 0xff); }
inline std::uint32_t instr_arg(std::uint32_t w) { return w >> 8; }
inline constexpr std::uint32_t k_max_oparg = (1u << 24) - 1;

// Code flags.
inline constexpr std::uint32_t k_co_varargs = 1;
inline constexpr std::uint32_t k_co_varkw = 2;
inline constexpr std::uint32_t k_co_simple_args = 4;  // positional only: no *, **, kw-only
inline constexpr std::uint32_t k_co_module = 8;
inline constexpr std::uint32_t k_co_class_body = 16;
inline constexpr std::uint32_t k_co_uses_locals_dict = 32;  // Name ops read a locals dict

// One inline cache entry (LOAD_GLOBAL, LOAD_ATTR, STORE_ATTR, LOAD_METHOD).
struct InlineCache {
  sync::SeqLock seq;           // guards the fields but `name` and `hint` (a relaxed guess)
  std::uint32_t name;          // index into names (immutable)
  std::uint32_t type_version;  // attribute caches: the type's version tag (0 = empty)
  std::uint64_t globals_version;
  std::uint64_t builtins_version;
  const void* globals;         // LOAD_GLOBAL: the globals dict the entry was filled for
  Value value;                 // borrowed: kept alive by the dict/type the version vouches for
  std::uint8_t kind;           // inline_cache.h's AttrKind
  std::uint32_t hint;          // attribute caches: entry index in the instance dict (a guess)
};

struct CodeObject {
  Object header;
  std::uint32_t* instrs;
  std::uint32_t ninstrs;
  std::uint32_t nconsts, nnames, nlocals, ncells, nfree, ncaches;
  Value* consts;            // owned
  StrObject** names;        // interned (immortal)
  StrObject** varnames;     // locals, parameters first
  StrObject** cellvars;
  StrObject** freevars;
  std::int32_t* cell2arg;   // per cell: index of the parameter it starts with, or -1
  InlineCache* caches;
  std::uint32_t argcount;       // positional parameters
  std::uint32_t kwonlyargcount;
  std::uint32_t flags;          // k_co_*
  std::uint32_t stacksize;      // deepest value stack
  std::uint32_t maxblocks;      // deepest block stack
  std::uint32_t first_line;
  StrObject* name;
  StrObject* qualname;
  StrObject* filename;
  std::uint8_t* linetable;      // pairs (count, signed delta); count 0 never occurs
  std::uint32_t linetable_size;

  std::uint32_t nlocalsplus() const { return nlocals + ncells + nfree; }
  // The source line of instruction `index` (linear in the table: for tracebacks only).
  std::uint32_t line_of(std::uint32_t index) const;
};

// A code object's parts, as the compiler collects them; make_code copies them.
struct CodeParts {
  std::vector<std::uint32_t> instrs;
  std::vector<std::uint32_t> lines;  // per instruction
  std::vector<Value> consts;         // references are stolen by make_code
  std::vector<StrObject*> names, varnames, cellvars, freevars;
  std::vector<std::int32_t> cell2arg;
  std::vector<std::uint32_t> cache_names;  // per cache entry: its names index
  std::uint32_t argcount = 0, kwonlyargcount = 0, flags = 0, stacksize = 0, maxblocks = 0;
  std::uint32_t first_line = 1;
  StrObject* name = nullptr;
  StrObject* qualname = nullptr;
  StrObject* filename = nullptr;
};

// A new code object (null + MemoryError on failure; the consts are released then too).
CodeObject* make_code(CodeParts& parts);

bool init_code_type();

// A readable listing of a code object and the ones nested in its constants (tests, debugging).
std::string disassemble(const CodeObject* code);

}  // namespace ftpy::interp
