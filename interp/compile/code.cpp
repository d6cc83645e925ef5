// code.cpp: CodeObject construction, the line table, disassembly and the `code` type.
// Code objects are immutable after make_code (inline caches aside, see code.h) and freed when
// the last function or frame holding them lets go; they are not GC-tracked (they reference
// only constants, which cannot point back to them).
#include "interp/compile/code.h"

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "interp/objects/types_internal.h"

namespace ftpy::interp {

TypeObject g_code_type;

namespace {

const char* const k_opcode_names[] = {
#define OP(name) #name,
#include "interp/compile/opcodes.def"
#undef OP
};

// A code object's arrays are raw buffers, so they live in the Mem heap of the thread state
// (DESIGN.md, "Memory"), like list items and dict tables, and are counted with them.
template <class T>
T* copy_array(const std::vector<T>& v) {
  if (v.empty()) return nullptr;
  T* p = static_cast<T*>(mem_alloc(v.size() * sizeof(T)));
  if (p) std::memcpy(p, v.data(), v.size() * sizeof(T));
  return p;
}

void code_dealloc(Object* o) {
  auto* c = reinterpret_cast<CodeObject*>(o);
  for (std::uint32_t i = 0; i < c->nconsts; i++) decref(c->consts[i]);
  mem_free(c->instrs);
  mem_free(c->consts);
  mem_free(c->names);
  mem_free(c->varnames);
  mem_free(c->cellvars);
  mem_free(c->freevars);
  mem_free(c->cell2arg);
  mem_free(c->caches);
  mem_free(c->linetable);
  runtime::free_object(o);
}

Value code_repr(Value v) {
  auto* c = reinterpret_cast<CodeObject*>(v.obj());
  return make_str(fmt::format("<code object {} at {}, file \"{}\", line {}>", c->name->view(),
                              static_cast<void*>(c), c->filename->view(), c->first_line));
}

}  // namespace

const char* opcode_name(int op) {
  return op >= 0 && op < k_opcode_count ? k_opcode_names[op] : "???";
}

std::uint32_t CodeObject::line_of(std::uint32_t index) const {
  std::int64_t line = first_line;
  std::uint32_t at = 0;
  for (std::uint32_t i = 0; i + 1 < linetable_size; i += 2) {
    line += std::int8_t(linetable[i + 1]);
    at += linetable[i];
    if (index < at) break;
  }
  return std::uint32_t(line);
}

CodeObject* make_code(CodeParts& p) {
  Object* o = runtime::alloc_object(&g_code_type.rt, sizeof(CodeObject));
  if (!o) {
    for (Value v : p.consts) decref(v);
    raise_no_memory();
    return nullptr;
  }
  auto* c = reinterpret_cast<CodeObject*>(o);
  c->instrs = copy_array(p.instrs);
  c->ninstrs = std::uint32_t(p.instrs.size());
  c->consts = copy_array(p.consts);
  c->nconsts = std::uint32_t(p.consts.size());
  c->names = copy_array(p.names);
  c->nnames = std::uint32_t(p.names.size());
  c->varnames = copy_array(p.varnames);
  c->nlocals = std::uint32_t(p.varnames.size());
  c->cellvars = copy_array(p.cellvars);
  c->ncells = std::uint32_t(p.cellvars.size());
  c->freevars = copy_array(p.freevars);
  c->nfree = std::uint32_t(p.freevars.size());
  c->cell2arg = copy_array(p.cell2arg);
  c->ncaches = std::uint32_t(p.cache_names.size());
  if (c->ncaches) {
    c->caches = static_cast<InlineCache*>(mem_alloc(c->ncaches * sizeof(InlineCache)));
    if (c->caches) std::memset(static_cast<void*>(c->caches), 0, c->ncaches * sizeof(InlineCache));
    if (c->caches)
      for (std::uint32_t i = 0; i < c->ncaches; i++) c->caches[i].name = p.cache_names[i];
  }
  c->argcount = p.argcount;
  c->kwonlyargcount = p.kwonlyargcount;
  c->flags = p.flags;
  c->stacksize = p.stacksize;
  c->maxblocks = p.maxblocks;
  c->first_line = p.first_line;
  c->name = p.name;
  c->qualname = p.qualname;
  c->filename = p.filename;
  // Run-length line table: (count, delta) with both fitting a byte; long runs and big jumps
  // are split into several pairs.
  std::vector<std::uint8_t> table;
  std::int64_t prev = p.first_line;
  std::size_t i = 0;
  while (i < p.lines.size()) {
    std::int64_t line = p.lines[i];
    std::size_t j = i;
    while (j < p.lines.size() && p.lines[j] == p.lines[i] && j - i < 255) j++;
    std::int64_t delta = line - prev;
    while (delta > 127 || delta < -127) {
      std::int64_t step = delta > 0 ? 127 : -127;
      table.push_back(0);
      table.push_back(std::uint8_t(std::int8_t(step)));
      delta -= step;
    }
    table.push_back(std::uint8_t(j - i));
    table.push_back(std::uint8_t(std::int8_t(delta)));
    prev = line;
    i = j;
  }
  c->linetable = copy_array(table);
  c->linetable_size = std::uint32_t(table.size());
  p.consts.clear();
  bool ok = (c->instrs || !c->ninstrs) && (c->consts || !c->nconsts) &&
            (c->names || !c->nnames) && (c->varnames || !c->nlocals) &&
            (c->caches || !c->ncaches) && (c->linetable || table.empty());
  if (!ok) {
    decref(Value::from(o));
    raise_no_memory();
    return nullptr;
  }
  return c;
}

std::string disassemble(const CodeObject* c) {
  std::string out = fmt::format("code {} ({} instrs, stack {}, blocks {})\n", c->qualname->view(),
                                c->ninstrs, c->stacksize, c->maxblocks);
  for (std::uint32_t i = 0; i < c->ninstrs; i++) {
    int op = instr_op(c->instrs[i]);
    out += fmt::format("{:4} {:4} {:<22} {}\n", c->line_of(i), i, opcode_name(op),
                       instr_arg(c->instrs[i]));
  }
  for (std::uint32_t i = 0; i < c->nconsts; i++)
    if (c->consts[i].is_object() && c->consts[i].obj()->ob_type == &g_code_type.rt)
      out += disassemble(reinterpret_cast<const CodeObject*>(c->consts[i].obj()));
  return out;
}

bool init_code_type() {
  TypeObject* t = &g_code_type;
  runtime::make_immortal(&t->header);
  t->header.ob_type = &g_type_type.rt;
  t->rt.name = "code";
  t->rt.basic_size = sizeof(CodeObject);
  t->rt.dealloc = code_dealloc;
  t->base = &g_object_type;
  t->name = intern("code");
  t->instance_size = sizeof(CodeObject);
  t->repr = code_repr;
  t->dict = reinterpret_cast<DictObject*>(make_dict().obj());
  return t->dict != nullptr;
}

}  // namespace ftpy::interp
